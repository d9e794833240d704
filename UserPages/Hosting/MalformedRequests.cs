using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace UserPages.Hosting;

/// <summary>
/// The one place for malformed requests, for every page: a 400 before any page or SQL sees bytes that are not UTF-8
/// (stray, overlong, encoded surrogates) anywhere in the path, the query string or a form body, control characters in
/// the path or in a key, or a key sent twice in the query string or the form (model binding would quietly take the
/// first). What a field's value may hold, control characters included, is its validator's to say, beside the field.
/// ASP.NET Core keeps %-escapes it cannot decode as literal text ("%FF"), so only the raw bytes tell them apart from a
/// search for "%FF" itself.
/// </summary>
public static class MalformedRequests
{
    // Throws on a lone surrogate instead of writing U+FFFD in its place.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IApplicationBuilder UseMalformedRequestRefusal(this IApplicationBuilder app)
    {
        var maxBodyBytes = app.ApplicationServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value.MaxBodyBytes;
        return app.Use(async (context, next) =>
        {
            // The re-executed error page sees the same address; let it render.
            if (context.Features.Get<IStatusCodeReExecuteFeature>() is null
                && !(IsWellFormed(context) && await IsWellFormedFormAsync(context.Request, maxBodyBytes)))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            await next(context);
        });
    }

    private static bool IsWellFormed(HttpContext context) =>
        Decode(RawPath(context), plusIsSpace: false) is { } decodedPath && !HasControlCharacters(decodedPath)
        && (!context.Request.QueryString.HasValue || IsWellFormedPairs(context.Request.QueryString.Value!.TrimStart('?')));

    /// <summary>Keys and values of a query string or form body: all UTF-8, no key with a control character or sent twice.</summary>
    private static bool IsWellFormedPairs(string encoded)
    {
        var pairs = encoded.Split('&');
        var keys = new HashSet<string>(pairs.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var (key, value) = pair.IndexOf('=', StringComparison.Ordinal) is var at and >= 0 ? (pair[..at], pair[(at + 1)..]) : (pair, "");
            if (Decode(key, plusIsSpace: true) is not { } decodedKey || HasControlCharacters(decodedKey)
                || Decode(value, plusIsSpace: true) is null
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

    /// <summary>A form body is a query string too, and the form reader keeps undecodable escapes as text in the same way.</summary>
    private static async Task<bool> IsWellFormedFormAsync(HttpRequest request, long maxBodyBytes)
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
        if (body.Length > maxBodyBytes)
        {
            return true;
        }

        // Raw bytes that are not UTF-8, then the same rules as a query string.
        var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
        return Utf8.IsValid(bytes) && IsWellFormedPairs(Encoding.UTF8.GetString(bytes));
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
