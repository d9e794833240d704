using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace UserPages.Data;

/// <summary>What a link in mail lets its holder do; part of the token's hash, so a token works for its purpose only.</summary>
public enum TokenPurpose
{
    ConfirmSignup = 1,
    Manage = 2,
    ChangeEmail = 3,
}

/// <summary>
/// A token for a link in mail, as OWASP's Forgot Password cheat sheet asks: 256 random bits, URL-safe, bound to one
/// purpose. Only <see cref="Hash"/> is stored; <see cref="Value"/> goes into the mail and nowhere else.
/// </summary>
public readonly record struct OneTimeToken(string Value, string Hash)
{
    private const int RandomBytes = 32;

    /// <summary>The length of <see cref="Value"/>: 32 bytes in unpadded base64url.</summary>
    public const int Length = 43;

    public static OneTimeToken New(TokenPurpose purpose)
    {
        var value = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));
        return new OneTimeToken(value, HashOf(purpose, value));
    }

    /// <summary>The stored form of <paramref name="value"/> for <paramref name="purpose"/>, or null when it cannot be a token.</summary>
    public static string? TryHash(TokenPurpose purpose, string? value) =>
        value is { Length: Length } && Base64Url.IsValid(value) ? HashOf(purpose, value) : null;

    /// <summary>Compares two stored hashes in time that does not depend on where they differ.</summary>
    public static bool SameHash(string stored, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(presented));

    private static string HashOf(TokenPurpose purpose, string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes($"{(int)purpose}:{value}")));
}
