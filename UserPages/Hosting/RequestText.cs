using System.Text;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace UserPages.Hosting;

/// <summary>
/// Marks the query values whose control characters a page refuses itself, with a message beside its field;
/// <see cref="RequestText"/> leaves those characters to it (and still refuses bytes that are not text).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RefusesControlCharactersAttribute(params string[] queryKeys) : Attribute
{
    public IReadOnlyList<string> QueryKeys { get; } = queryKeys;
}

/// <summary>
/// An address that is not plain text is a 400 before any page or SQL sees it: bytes that are not UTF-8 (stray,
/// overlong, encoded surrogates) or control characters (NUL, CR/LF, escapes) in the path or in any query key or
/// value, or a query key sent twice. No page makes such an address, no stored value holds them, and the engines fail on some (PostgreSQL on NUL,
/// FTS5 on a NUL in a MATCH), which must never look like a database outage.
/// </summary>
public static class RequestText
{
    // ASP.NET Core keeps %-escapes it cannot decode as literal text ("%FF"), so only the raw bytes tell them apart
    // from a search for "%FF" itself.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>After routing, so that a page's <see cref="RefusesControlCharactersAttribute"/> is known.</summary>
    public static IApplicationBuilder UseRequestTextCheck(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // The re-executed error page sees the same address; let it render.
        if (context.Features.Get<IStatusCodeReExecuteFeature>() is null && !IsPlainText(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }

        return next(context);
    });

    private static bool IsPlainText(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var path = rawTarget is ['/', ..] ? rawTarget.Split('?', 2)[0] : context.Request.Path.ToUriComponent();
        if (Decode(path, plusIsSpace: false) is not { } decodedPath || HasControlCharacters(decodedPath))
        {
            return false;
        }

        if (!context.Request.QueryString.HasValue)
        {
            return true;
        }

        var pageChecks = context.GetEndpoint()?.Metadata.GetMetadata<RefusesControlCharactersAttribute>()?.QueryKeys ?? [];
        var pairs = context.Request.QueryString.Value!.TrimStart('?').Split('&');
        var keys = new HashSet<string>(pairs.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var (key, value) = pair.IndexOf('=', StringComparison.Ordinal) is var at and >= 0 ? (pair[..at], pair[(at + 1)..]) : (pair, "");
            if (Decode(key, plusIsSpace: true) is not { } decodedKey || HasControlCharacters(decodedKey)
                || Decode(value, plusIsSpace: true) is not { } decodedValue
                || (HasControlCharacters(decodedValue) && !pageChecks.Contains(decodedKey, StringComparer.OrdinalIgnoreCase))
                // Model binding would quietly take the first of two values; no link of ours sends a key twice.
                || (decodedKey.Length > 0 && !keys.Add(decodedKey)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The %-decoded text, or null when its bytes are not UTF-8.</summary>
    private static string? Decode(string encoded, bool plusIsSpace)
    {
        // The common case, and the hot listing's: printable ASCII with nothing escaped is text as it stands.
        if (!encoded.AsSpan().ContainsAnyExceptInRange(' ', '~') && !encoded.Contains('%', StringComparison.Ordinal))
        {
            return plusIsSpace ? encoded.Replace('+', ' ') : encoded;
        }

        var bytes = new List<byte>(encoded.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '%' && i + 2 < encoded.Length && Uri.IsHexDigit(encoded[i + 1]) && Uri.IsHexDigit(encoded[i + 2]))
            {
                bytes.Add(Convert.ToByte(encoded.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (char.IsSurrogate(c) || c > '\u007F')
            {
                // Kestrel reads the request line as ASCII; anything else came through TestServer or a proxy. A lone
                // surrogate is not text.
                if (!Rune.TryGetRuneAt(encoded, i, out var rune))
                {
                    return null;
                }

                bytes.AddRange(utf8[..rune.EncodeToUtf8(utf8)]);
                i += rune.Utf16SequenceLength - 1;
            }
            else
            {
                bytes.Add((byte)(plusIsSpace && c == '+' ? ' ' : c));
            }
        }

        try
        {
            return StrictUtf8.GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static bool HasControlCharacters(string text) => text.Any(char.IsControl);
}
