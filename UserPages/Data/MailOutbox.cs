using Dapper;

namespace UserPages.Data;

/// <summary>
/// The <c>mail_outbox</c> table (migration CreateMailOutbox). <see cref="QueueAsync"/> writes a message in the
/// caller's unit of work, so it commits or rolls back with the change that caused it; the sender claims, marks and
/// sweeps in units of its own. Every time is the app's UTC clock, passed as a parameter.
/// </summary>
public sealed class MailOutbox(Database database, TimeProvider time)
{
    public const string InsertMessage = """
        INSERT INTO mail_outbox (message_id, recipient, subject, body, state, attempts, queued_at, due_at)
        VALUES (@MessageId, @Recipient, @Subject, @Body, 0, 0, @Now, @Now)
        """;

    // SQLite has one writer at a time and the claim runs in a write unit (BEGIN IMMEDIATE): no other claim can
    // interleave, so the plain statement is exact.
    public const string ClaimSqlite = """
        UPDATE mail_outbox SET claim = @Claim, due_at = @ClaimedUntil, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM mail_outbox
            WHERE state = 0 AND due_at <= @Now
            ORDER BY due_at
            LIMIT @Limit)
        RETURNING id AS Id, message_id AS MessageId, recipient AS Recipient, subject AS Subject, body AS Body,
                  attempts AS Attempts, queued_at AS QueuedAt
        """;

    // SKIP LOCKED: two instances claiming at once each take rows the other has not locked, never the same row, and
    // neither waits for the other.
    public const string ClaimPostgres = """
        UPDATE mail_outbox SET claim = @Claim, due_at = @ClaimedUntil, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM mail_outbox
            WHERE state = 0 AND due_at <= @Now
            ORDER BY due_at
            LIMIT @Limit
            FOR UPDATE SKIP LOCKED)
        RETURNING id AS Id, message_id AS MessageId, recipient AS Recipient, subject AS Subject, body AS Body,
                  attempts AS Attempts, queued_at AS QueuedAt
        """;

    // MariaDB has no UPDATE … RETURNING: the rows are locked and read first, then claimed by id in the same unit.
    public const string LockDueMySql = """
        SELECT id AS Id, message_id AS MessageId, recipient AS Recipient, subject AS Subject, body AS Body,
               attempts + 1 AS Attempts, queued_at AS QueuedAt
        FROM mail_outbox
        WHERE state = 0 AND due_at <= @Now
        ORDER BY due_at
        LIMIT @Limit
        FOR UPDATE SKIP LOCKED
        """;

    public const string ClaimLockedMySql = """
        UPDATE mail_outbox SET claim = @Claim, due_at = @ClaimedUntil, attempts = attempts + 1
        WHERE id IN @Ids
        """;

    // Every mark names the claim: a sender whose claim expired and was taken again changes nothing.
    public const string MarkSent = """
        UPDATE mail_outbox SET state = 1, claim = NULL, finished_at = @Now, last_error = NULL
        WHERE id IN @Ids AND claim = @Claim
        """;

    // Npgsql takes the ids as one array parameter, where Dapper spells IN @Ids out for the other engines.
    public const string MarkSentPostgres = """
        UPDATE mail_outbox SET state = 1, claim = NULL, finished_at = @Now, last_error = NULL
        WHERE id = ANY(@Ids) AND claim = @Claim
        """;

    public const string MarkDead = """
        UPDATE mail_outbox SET state = 2, claim = NULL, finished_at = @Now, last_error = @Error
        WHERE id = @Id AND claim = @Claim
        """;

    public const string RetryLater = """
        UPDATE mail_outbox SET claim = NULL, due_at = @DueAt, last_error = @Error
        WHERE id = @Id AND claim = @Claim
        """;

    // A released message was not attempted: it is due again at once and its attempt is given back.
    public const string Release = """
        UPDATE mail_outbox SET claim = NULL, due_at = @Now, attempts = attempts - 1
        WHERE claim = @Claim AND state = 0
        """;

    public const string DeleteFinished = """
        DELETE FROM mail_outbox WHERE finished_at < @Before
        """;

    // Queued afresh: a new day of retries, counted from now.
    public const string RequeueDead = """
        UPDATE mail_outbox SET state = 0, attempts = 0, claim = NULL, queued_at = @Now, due_at = @Now, finished_at = NULL, last_error = NULL
        WHERE state = 2
        """;

    // A deleted entry's address: its queued mail is never sent, and what was sent or given up on is not kept.
    public const string WithdrawTo = """
        DELETE FROM mail_outbox WHERE recipient = @Recipient
        """;

    public const string ListTo = """
        SELECT subject AS Subject, state AS State, queued_at AS QueuedAt, finished_at AS FinishedAt
        FROM mail_outbox
        WHERE recipient = @Recipient
        ORDER BY id
        """;

    public const string ReadBacklog = """
        SELECT COUNT(CASE WHEN state = 0 AND due_at <= @Now THEN 1 END) AS Due,
               COUNT(CASE WHEN state = 0 AND due_at > @Now AND claim IS NOT NULL THEN 1 END) AS Sending,
               COUNT(CASE WHEN state = 0 AND due_at > @Now AND claim IS NULL THEN 1 END) AS Retrying,
               COUNT(CASE WHEN state = 2 THEN 1 END) AS Dead,
               MIN(CASE WHEN state = 0 THEN queued_at END) AS OldestQueuedAt
        FROM mail_outbox
        WHERE state IN (0, 2)
        """;

    private readonly string _markSent = database.Provider == DatabaseProvider.Postgres ? MarkSentPostgres : MarkSent;

    private readonly string? _claim = database.Provider switch
    {
        DatabaseProvider.Sqlite => ClaimSqlite,
        DatabaseProvider.Postgres => ClaimPostgres,
        _ => null,
    };

    /// <summary>Queues the mail in the caller's unit: it is sent only if the unit commits.</summary>
    public Task QueueAsync(UnitOfWork unit, OutgoingMail mail, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteAsync(new CommandDefinition(
            InsertMessage,
            new { MessageId = Guid.NewGuid().ToString("N"), mail.Recipient, mail.Subject, mail.Body, Now = Now() },
            unit.Transaction,
            cancellationToken: cancellationToken));

    /// <summary>Removes every message to <paramref name="recipient"/>, whatever its state, in the caller's unit; how many.</summary>
    public Task<int> WithdrawAsync(UnitOfWork unit, string recipient, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteAsync(new CommandDefinition(WithdrawTo, new { Recipient = recipient }, unit.Transaction, cancellationToken: cancellationToken));

    /// <summary>What is stored of the mail to <paramref name="recipient"/>, oldest first, bodies left out.</summary>
    public async Task<IReadOnlyList<StoredMail>> ListToAsync(UnitOfWork unit, string recipient, CancellationToken cancellationToken) =>
        (await unit.Connection.QueryAsync<StoredMail>(new CommandDefinition(ListTo, new { Recipient = recipient }, unit.Transaction, cancellationToken: cancellationToken))).AsList();

    /// <summary>
    /// Claims up to <paramref name="limit"/> due messages, oldest due first, for <paramref name="claimFor"/>: until then
    /// no other sender takes them; after it they fall due again. Committed before it returns.
    /// </summary>
    public async Task<OutboxClaim> ClaimAsync(int limit, TimeSpan claimFor, CancellationToken cancellationToken)
    {
        var now = Now();
        var claim = new OutboxClaim(Guid.NewGuid().ToString("N"), DateTime.SpecifyKind(now + claimFor, DateTimeKind.Utc), []);
        var parameters = new { Claim = claim.Token, ClaimedUntil = now + claimFor, Now = now, Limit = limit };
        await using var unit = await database.BeginWriteAsync(cancellationToken);
        List<OutboxMessage> messages;
        if (_claim is not null)
        {
            messages = (await unit.Connection.QueryAsync<OutboxMessage>(new CommandDefinition(_claim, parameters, unit.Transaction, cancellationToken: cancellationToken))).AsList();
        }
        else
        {
            messages = (await unit.Connection.QueryAsync<OutboxMessage>(new CommandDefinition(LockDueMySql, parameters, unit.Transaction, cancellationToken: cancellationToken))).AsList();
            if (messages.Count > 0)
            {
                await unit.Connection.ExecuteAsync(new CommandDefinition(
                    ClaimLockedMySql, new { parameters.Claim, parameters.ClaimedUntil, Ids = messages.Select(m => m.Id).ToArray() }, unit.Transaction, cancellationToken: cancellationToken));
            }
        }

        await unit.CommitAsync(cancellationToken);
        messages.Sort((a, b) => a.Id.CompareTo(b.Id));
        return claim with { Messages = messages };
    }

    /// <summary>Records the messages as delivered, in one commit; returns how many were still this claim's.</summary>
    public Task<int> MarkSentAsync(OutboxClaim claim, IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        ExecuteCommittedAsync(_markSent, new { Ids = ids.ToArray(), Claim = claim.Token, Now = Now() }, cancellationToken);

    /// <summary>Gives up on the message for good, saying why (never with the address).</summary>
    public async Task<bool> MarkDeadAsync(OutboxClaim claim, long id, string error, CancellationToken cancellationToken) =>
        await ExecuteCommittedAsync(MarkDead, new { Id = id, Claim = claim.Token, Now = Now(), Error = Truncate(error) }, cancellationToken) == 1;

    /// <summary>Makes the message due again at <paramref name="dueAt"/>, saying why the attempt failed.</summary>
    public async Task<bool> RetryLaterAsync(OutboxClaim claim, long id, DateTime dueAt, string error, CancellationToken cancellationToken) =>
        await ExecuteCommittedAsync(RetryLater, new { Id = id, Claim = claim.Token, DueAt = DatabaseTime.From(dueAt), Error = Truncate(error) }, cancellationToken) == 1;

    /// <summary>Hands back every message of the claim not yet marked: due again now, as if never claimed.</summary>
    public Task<int> ReleaseAsync(OutboxClaim claim, CancellationToken cancellationToken) =>
        ExecuteCommittedAsync(Release, new { Claim = claim.Token, Now = Now() }, cancellationToken);

    /// <summary>Deletes sent and dead messages finished longer than <paramref name="retention"/> ago; returns how many.</summary>
    public Task<int> DeleteFinishedAsync(TimeSpan retention, CancellationToken cancellationToken) =>
        ExecuteCommittedAsync(DeleteFinished, new { Before = Now() - retention }, cancellationToken);

    /// <summary>Makes every dead message due again, with a fresh set of retries; returns how many.</summary>
    public Task<int> RequeueDeadAsync(CancellationToken cancellationToken) =>
        ExecuteCommittedAsync(RequeueDead, new { Now = Now() }, cancellationToken);

    /// <summary>How many messages wait, and how long the oldest unsent one has.</summary>
    public async Task<OutboxBacklog> ReadBacklogAsync(CancellationToken cancellationToken)
    {
        var now = Now();
        await using var unit = await database.BeginReadAsync(cancellationToken);
        var row = await unit.Connection.QuerySingleAsync<OutboxBacklogRow>(new CommandDefinition(ReadBacklog, new { Now = now }, unit.Transaction, cancellationToken: cancellationToken));
        var oldest = row.OldestQueuedAt is { } queuedAt ? now - queuedAt : TimeSpan.Zero;
        return new OutboxBacklog(row.Due, row.Sending, row.Retrying, row.Dead, oldest < TimeSpan.Zero ? TimeSpan.Zero : oldest);
    }

    /// <summary>One statement in a write unit of its own, committed; the rows it changed.</summary>
    private async Task<int> ExecuteCommittedAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var unit = await database.BeginWriteAsync(cancellationToken);
        var changed = await unit.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, unit.Transaction, cancellationToken: cancellationToken));
        await unit.CommitAsync(cancellationToken);
        return changed;
    }

    private DateTime Now() => DatabaseTime.From(time.GetUtcNow().UtcDateTime);

    private static string Truncate(string error) => error.Length <= 200 ? error : error[..200];

    private sealed class OutboxBacklogRow
    {
        public long Due { get; init; }

        public long Sending { get; init; }

        public long Retrying { get; init; }

        public long Dead { get; init; }

        public DateTime? OldestQueuedAt { get; init; }
    }
}

/// <summary>A mail to queue: one recipient, a subject and a plain-text body.</summary>
public sealed record OutgoingMail(string Recipient, string Subject, string Body);

/// <summary>A queued message as the sender reads it.</summary>
public sealed class OutboxMessage
{
    public long Id { get; init; }

    /// <summary>Minted when queued and kept on every attempt: the Message-ID's left part.</summary>
    public string MessageId { get; init; } = "";

    public string Recipient { get; init; } = "";

    public string Subject { get; init; } = "";

    public string Body { get; init; } = "";

    /// <summary>Attempts made so far, this one included.</summary>
    public int Attempts { get; init; }

    /// <summary>When it was queued, in UTC (the engines hand it back without a kind).</summary>
    public DateTime QueuedAt
    {
        get;
        init => field = DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }
}

/// <summary>A message to one address as its owner may see it listed: what, in which state, and when.</summary>
public sealed class StoredMail
{
    public string Subject { get; init; } = "";

    /// <summary>0 queued, 1 sent, 2 dead (given up on).</summary>
    public int State { get; init; }

    public DateTime QueuedAt
    {
        get;
        init => field = DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }

    public DateTime? FinishedAt
    {
        get;
        init => field = value is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null;
    }
}

/// <summary>Messages one sender holds until <see cref="Until"/>; <see cref="Token"/> names the claim in every mark.</summary>
public sealed record OutboxClaim(string Token, DateTime Until, IReadOnlyList<OutboxMessage> Messages);

/// <summary>The queue at a glance: due now, being sent, waiting to retry, dead; and the oldest unsent message's age.</summary>
public sealed record OutboxBacklog(long Due, long Sending, long Retrying, long Dead, TimeSpan OldestUnsentAge);
