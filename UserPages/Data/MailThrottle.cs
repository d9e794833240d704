using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace UserPages.Data;

/// <summary>
/// The <c>mail_throttle</c> table: one row per request that mails a recipient (or comes from a client address),
/// kept under a hash of it, so a limit per hour holds across every instance. A request is counted whether or not its
/// address has an entry, so the limit answers the same either way.
/// </summary>
public sealed class MailThrottle
{
    public const string CountSince = """
        SELECT COUNT(*) FROM mail_throttle WHERE address_hash = @AddressHash AND requested_at > @Since
        """;

    public const string InsertRequest = """
        INSERT INTO mail_throttle (address_hash, requested_at) VALUES (@AddressHash, @Now)
        """;

    public const string DeleteBefore = """
        DELETE FROM mail_throttle WHERE requested_at <= @Before
        """;

    /// <summary>
    /// Counts one more request for each key, in the caller's unit, when every key has had fewer than its limit within
    /// <paramref name="window"/>; false, counting nothing, when any key is at its limit.
    /// </summary>
    public async Task<bool> TryCountAsync(UnitOfWork unit, IReadOnlyList<(string Key, int Limit)> keys, DateTime now, TimeSpan window, CancellationToken cancellationToken)
    {
        var hashes = keys.Select(key => (Hash: HashOf(key.Key), key.Limit)).ToList();
        foreach (var (hash, limit) in hashes)
        {
            var recent = await unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                CountSince, new { AddressHash = hash, Since = DatabaseTime.From(now - window) }, unit.Transaction, cancellationToken: cancellationToken));
            if (recent >= limit)
            {
                return false;
            }
        }

        foreach (var (hash, _) in hashes)
        {
            await unit.Connection.ExecuteAsync(new CommandDefinition(InsertRequest, new { AddressHash = hash, Now = DatabaseTime.From(now) }, unit.Transaction, cancellationToken: cancellationToken));
        }

        return true;
    }

    /// <summary>Forgets requests older than the window; how many.</summary>
    public Task<int> DeleteBeforeAsync(UnitOfWork unit, DateTime before, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteAsync(new CommandDefinition(DeleteBefore, new { Before = DatabaseTime.From(before) }, unit.Transaction, cancellationToken: cancellationToken));

    // Not the address itself: this table is a log of requests, and needs only to tell the same key again.
    private static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
