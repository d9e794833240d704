using System.Diagnostics.Metrics;

namespace UserPages.Telemetry;

/// <summary>Why a signup was not stored: the <c>reason</c> on <c>userpages.signups.refused</c>.</summary>
public enum SignupRefusal
{
    Invalid,
    Taken,
    RateLimited,

    /// <summary>The global ceiling on new pending entries a minute (429).</summary>
    NewEntryCeiling,

    /// <summary>The form's hidden field, which people never see, was filled in (answered as if stored).</summary>
    Honeypot,

    /// <summary>Posted sooner after the form was rendered than a person could fill it in (answered as if stored).</summary>
    TooFast,

    /// <summary>The form's signed render time was missing or tampered with (answered as if stored).</summary>
    BadStamp,

    /// <summary>The form's signed render time was older than the form's life (answered as if stored).</summary>
    ExpiredStamp,
}

/// <summary>What happened to an entry: the <c>event</c> on <c>userpages.entries.events</c>.</summary>
public enum EntryEvent
{
    /// <summary>A pending signup's address confirmed: listed.</summary>
    Confirmed,

    /// <summary>A pending signup removed unconfirmed after its lifetime.</summary>
    Expired,

    Renamed,

    EmailChanged,

    /// <summary>An edit or delete made against a row that changed since: nothing written, 409.</summary>
    Conflict,

    Deleted,

    /// <summary>A manage session opened by a link.</summary>
    ManageOpened,
}

/// <summary>
/// The app's own meter, <c>UserPages</c>: what an operator of this app watches beside the framework's request
/// metrics. Plain System.Diagnostics.Metrics, so <c>dotnet-counters monitor --counters UserPages</c> reads it with
/// no configuration, and the OpenTelemetry SDK exports it only when asked (see <see cref="TelemetryRegistration"/>).
/// Created through <see cref="IMeterFactory"/>: each app instance in one process (as in the tests) has its own.
/// </summary>
public sealed class UserPagesMetrics
{
    public const string MeterName = "UserPages";

    // Seconds, with the bucket boundaries ASP.NET Core uses for http.server.request.duration, so the two line up.
    private static readonly InstrumentAdvice<double> DurationBuckets = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };

    // The signup writer takes at most 256 signups a commit.
    private static readonly InstrumentAdvice<int> GroupSizeBuckets = new() { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] };

    private static readonly KeyValuePair<string, object?> Listing = new("userpages.listing.kind", "listing");
    private static readonly KeyValuePair<string, object?> Search = new("userpages.listing.kind", "search");

    private readonly Counter<long> _signupsCreated;
    private readonly Counter<long> _signupsRefused;
    private readonly Counter<long> _signupsPending;
    private readonly Counter<long> _entryEvents;
    private readonly Histogram<int> _groupCommitSize;
    private readonly Histogram<double> _groupCommitDuration;
    private readonly Counter<long> _incidentsOpened;
    private readonly Histogram<double> _listingDuration;
    private readonly Counter<long> _mailSent;
    private readonly Counter<long> _mailFailed;
    private readonly Counter<long> _mailDead;
    private readonly Meter _meter;

    public UserPagesMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _signupsCreated = _meter.CreateCounter<long>("userpages.signups.created", "{signup}", "Signups stored (each answered with a redirect).");
        _signupsRefused = _meter.CreateCounter<long>("userpages.signups.refused", "{signup}", "Signups refused, by reason: invalid (400), taken (409), rate_limited and new_entry_ceiling (429); honeypot, too_fast, bad_stamp and expired_stamp (the bot checks, answered as if stored).");
        _signupsPending = _meter.CreateCounter<long>("userpages.signups.pending", "{signup}", "Signups answered \"check your inbox\": a confirmation link, or a notice to an address that already has an entry (told apart nowhere, on purpose).");
        _entryEvents = _meter.CreateCounter<long>("userpages.entries.events", "{event}", "What happened to entries, by event: confirmed, expired, renamed, email_changed, conflict, deleted, manage_opened.");
        _groupCommitSize = _meter.CreateHistogram("userpages.signups.group_commit.size", "{signup}", "Signups committed together in one transaction.", advice: GroupSizeBuckets);
        _groupCommitDuration = _meter.CreateHistogram("userpages.signups.group_commit.duration", "s", "Time from beginning a group's transaction to its durable commit.", advice: DurationBuckets);
        _incidentsOpened = _meter.CreateCounter<long>("userpages.database.incidents", "{incident}", "Database incidents opened: the first failure after the database last answered.");
        _listingDuration = _meter.CreateHistogram("userpages.listing.duration", "s", "Time the listing spends in the database for one page it renders, by kind: listing or search (a kept page is not counted).", advice: DurationBuckets);
        _mailSent = _meter.CreateCounter<long>("userpages.mail.sent", "{message}", "Mail accepted by the SMTP server or written to the pickup folder.");
        _mailFailed = _meter.CreateCounter<long>("userpages.mail.failed", "{attempt}", "Failed delivery attempts, by reason: unreachable, deferred (4xx), refused (5xx), authentication, tls, invalid_address, pickup_folder, error.");
        _mailDead = _meter.CreateCounter<long>("userpages.mail.dead", "{message}", "Mail given up on, by reason: refused (a permanent refusal) or expired (failing for Mail:Outbox:GiveUpAfter).");
    }

    public void SignupCreated() => _signupsCreated.Add(1);

    public void SignupRefused(SignupRefusal reason) => _signupsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason switch
    {
        SignupRefusal.Invalid => "invalid",
        SignupRefusal.Taken => "taken",
        SignupRefusal.RateLimited => "rate_limited",
        SignupRefusal.NewEntryCeiling => "new_entry_ceiling",
        SignupRefusal.Honeypot => "honeypot",
        SignupRefusal.TooFast => "too_fast",
        SignupRefusal.BadStamp => "bad_stamp",
        _ => "expired_stamp",
    }));

    public void SignupPending() => _signupsPending.Add(1);

    public void EntryEvent(EntryEvent happened, int count = 1)
    {
        if (count > 0)
        {
            _entryEvents.Add(count, new KeyValuePair<string, object?>("event", happened switch
            {
                Telemetry.EntryEvent.Confirmed => "confirmed",
                Telemetry.EntryEvent.Expired => "expired",
                Telemetry.EntryEvent.Renamed => "renamed",
                Telemetry.EntryEvent.EmailChanged => "email_changed",
                Telemetry.EntryEvent.Conflict => "conflict",
                Telemetry.EntryEvent.Deleted => "deleted",
                _ => "manage_opened",
            }));
        }
    }

    public void GroupCommitted(int size, TimeSpan duration)
    {
        _groupCommitSize.Record(size);
        _groupCommitDuration.Record(duration.TotalSeconds);
    }

    public void IncidentOpened() => _incidentsOpened.Add(1);

    /// <summary>Publishes <c>userpages.database.incident.open</c>: 1 while <paramref name="isOpen"/> says so, else 0.</summary>
    public void ObserveOpenIncident(Func<bool> isOpen) =>
        _meter.CreateObservableGauge("userpages.database.incident.open", () => isOpen() ? 1 : 0, "{incident}", "1 while a database incident is open, else 0.");

    public void MailSent() => _mailSent.Add(1);

    public void MailFailed(string reason) => _mailFailed.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void MailDead(string reason) => _mailDead.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>
    /// Publishes <c>userpages.mail.queue.depth</c> (messages not yet sent) and <c>userpages.mail.queue.oldest_age</c>
    /// (the alert: how long the oldest unsent message has waited) from the sender's last read of the queue.
    /// </summary>
    public void ObserveMailQueue(Func<(long Unsent, TimeSpan OldestUnsentAge)?> queue)
    {
        _meter.CreateObservableGauge("userpages.mail.queue.depth", () => queue() is { } q ? [new Measurement<long>(q.Unsent)] : Array.Empty<Measurement<long>>(),
            "{message}", "Mail queued and not yet sent: due, being sent, or waiting to retry (dead mail is not counted).");
        _meter.CreateObservableGauge("userpages.mail.queue.oldest_age", () => queue() is { } q ? [new Measurement<double>(q.OldestUnsentAge.TotalSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "How long the oldest unsent mail has waited since it was queued; 0 when nothing waits.");
    }

    public void ListingServed(bool search, TimeSpan duration) => _listingDuration.Record(duration.TotalSeconds, search ? Search : Listing);
}
