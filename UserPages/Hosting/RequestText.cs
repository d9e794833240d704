using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

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
/// A request that is not plain text is a 400 before any page or SQL sees it: bytes that are not UTF-8 (stray,
/// overlong, encoded surrogates) anywhere in the path, the query string or a form body; control characters (NUL,
/// CR/LF, escapes) in the path or in any query key or value; a query key sent twice. No page makes such a request, no
/// stored value holds them, and the engines fail on some (PostgreSQL on NUL, FTS5 on a NUL in a MATCH), which must
/// never look like a database outage. ASP.NET Core keeps %-escapes it cannot decode as literal text ("%FF"), so only
/// the raw bytes tell them apart from a search for "%FF" itself.
/// </summary>
public static class RequestText
{
    // Throws on a lone surrogate instead of writing U+FFFD in its place.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>After routing, so that a page's <see cref="RefusesControlCharactersAttribute"/> is known.</summary>
    public static IApplicationBuilder UseRequestTextCheck(this IApplicationBuilder app)
    {
        var maxBodyBytes = app.ApplicationServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value.MaxBodyBytes;
        return app.Use(async (context, next) =>
        {
            // The re-executed error page sees the same address; let it render.
            if (context.Features.Get<IStatusCodeReExecuteFeature>() is null
                && !(IsPlainText(context) && await IsPlainTextFormAsync(context.Request, maxBodyBytes)))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            await next(context);
        });
    }

    private static bool IsPlainText(HttpContext context)
    {
        if (Decode(RawPath(context), plusIsSpace: false) is not { } decodedPath || HasControlCharacters(decodedPath))
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

    /// <summary>The path as sent, escapes and all (Request.Path has decoded what it could).</summary>
    private static string RawPath(HttpContext context)
    {
        if (context.Features.Get<IHttpRequestFeature>()?.RawTarget is not ['/', ..] target)
        {
            return context.Request.Path.ToUriComponent();
        }

        var query = target.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? target : target[..query];
    }

    /// <summary>
    /// A form body is a query string too, and the form reader keeps undecodable escapes as text in the same way. Only
    /// its bytes are checked here: control characters in a field are the page's to refuse, beside the field.
    /// </summary>
    private static async Task<bool> IsPlainTextFormAsync(HttpRequest request, long maxBodyBytes)
    {
        if (!HttpMethods.IsPost(request.Method)
            || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            return true;
        }

        // Buffered, so the form reader reads the same bytes again. A body over the limit is left to it to refuse.
        request.EnableBuffering();
        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0 && body.Length <= maxBodyBytes)
        {
            body.Write(chunk, 0, read);
        }

        request.Body.Position = 0;
        return body.Length > maxBodyBytes || Decode(body.GetBuffer().AsSpan(0, (int)body.Length), plusIsSpace: true) is not null;
    }

    /// <summary>The %-decoded text, or null when it is not UTF-8.</summary>
    private static string? Decode(string encoded, bool plusIsSpace)
    {
        // The common case, and the hot listing's: printable ASCII with nothing escaped is text as it stands.
        if (!encoded.AsSpan().ContainsAnyExceptInRange(' ', '~') && !encoded.Contains('%', StringComparison.Ordinal))
        {
            return plusIsSpace ? encoded.Replace('+', ' ') : encoded;
        }

        // Kestrel reads the request line as ASCII; other characters came through TestServer or a proxy, and a lone
        // surrogate among them is not text.
        try
        {
            return Decode(StrictUtf8.GetBytes(encoded), plusIsSpace);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The %-decoded text of raw bytes, or null when the result is not UTF-8.</summary>
    private static string? Decode(ReadOnlySpan<byte> encoded, bool plusIsSpace)
    {
        var bytes = new byte[encoded.Length];
        var length = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var next = encoded[i];
            if (next == '%' && i + 2 < encoded.Length
                && byte.TryParse(encoded.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var escaped))
            {
                next = escaped;
                i += 2;
            }
            else if (next == '+' && plusIsSpace)
            {
                next = (byte)' ';
            }

            bytes[length++] = next;
        }

        return Utf8.IsValid(bytes.AsSpan(0, length)) ? Encoding.UTF8.GetString(bytes, 0, length) : null;
    }

    private static bool HasControlCharacters(string text) => text.Any(char.IsControl);
}
