namespace UserPages.Tests.Pages.Users;

/// <summary>
/// The hostile corpus. Field values: each must be refused (400 with the message beside its field) whether it is
/// sent as the username or inside the email, and none may ever be stored. A NUL byte never reaches the page at all:
/// ASP.NET Core's form reader refuses the whole form, which is the generic friendly 400. Then addresses, by what they
/// must answer.
/// </summary>
public static class HostileInputs
{
    public static readonly IReadOnlyList<(string Name, string Value)> Values =
    [
        ("100,000 characters", new string('a', 100_000)),
        ("100,000 characters of emoji", string.Concat(Enumerable.Repeat("😀", 50_000))),
        ("NUL inside", "ab\0cd"),
        ("only NUL", "\0\0\0"),
        ("bell and escape", "ab\u0007c\u001B[31mred"),
        ("DEL", "abc\u007F"),
        ("right-to-left override", "abc\u202Etxt.exe"),
        ("bidi isolates", "\u2066abc\u2069"),
        ("right-to-left mark", "abc\u200F"),
        ("zero-width space", "ad\u200Bmin"),
        ("zero-width joiner", "ad\u200Dmin"),
        ("byte order mark", "\uFEFFadmin"),
        ("word joiner", "ad\u2060min"),
        ("Cyrillic a look-alike", "\u0430dmin"),
        ("Greek omicron look-alike", "r\u03BFot"),
        ("Latin alpha look-alike", "\u0251lice"),
        ("Cherokee look-alike", "\u13AAlice"),
        ("emoji", "bob🙂"),
        ("combining accent", "jose\u0301"),
        ("replacement character", "ab\uFFFDcd"),
        ("CJK", "用户名"),
        ("script tag", "<script>alert(1)</script>"),
        ("SQL", "robert'); DROP TABLE users;--"),
        ("SQL tautology", "' OR '1'='1"),
        ("CR/LF header injection", "name\r\nBcc: victim@example.com"),
        ("LF alone", "na\nme"),
        ("path traversal", "..\\..\\windows\\win.ini"),
        ("only spaces and tabs", " \t \u3000 "),
        ("percent-encoded CR/LF", "%0d%0aBcc:victim"),
        ("CR alone", "na\rme"),
        ("Set-Cookie header injection", "x\r\nSet-Cookie: admin=1"),
        ("C1 next line", "ab\u0085cd"),
        ("line separator", "ab\u2028cd"),
        ("left-to-right override", "\u202Dadmin"),
        ("pop directional formatting", "admin\u202C"),
        ("first strong isolate", "\u2068admin\u2069"),
        ("Arabic letter mark", "admin\u061C"),
        ("soft hyphen", "ad\u00ADmin"),
        ("zero-width non-joiner", "ad\u200Cmin"),
        ("invisible separator", "ad\u2063min"),
        ("Hangul filler", "\u3164admin"),
        ("Mongolian vowel separator", "ad\u180Emin"),
        ("tag letters", "admin\U000E0041\U000E0042"),
        ("variation selector", "admin\uFE0F"),
        ("lone high surrogate", "ab\uD800cd"),
        ("lone low surrogate", "ab\uDC00cd"),
        ("overlong slash as Latin-1 text", "\u00C0\u00AFetc"),
    ];

    public static TheoryData<string> Usernames => new(Values.Select(v => v.Name));

    public static TheoryData<string> Emails => new(AsEmails().Select(v => v.Name));

    /// <summary>Listing and profile addresses that must answer 200 (a sane page), 400 or 404, never 5xx.</summary>
    public static TheoryData<string> ListingUrls => new()
    {
        "/users?before=-1_5", "/users?before=1_-5", "/users?before=0_0", "/users?before=1_0", "/users?after=+1_1",
        "/users?before=99999999999999999999_1", "/users?before=3155378975999999999_9223372036854775807",
        "/users?before=3155378976000000000_1", "/users?before=1_1_1", "/users?before=_", "/users?before=",
        "/users?before=1%001_1", "/users?after=' OR 1=1--", "/users?before=1_1;DROP TABLE users",
        "/users?before=1_1&after=1_1", "/users?before=1_1&before=2_2", "/users?before=%FF%FE",
        "/users?before=１_１", "/users?before=0x10_0x10", "/users?before=1e5_1",
        "/users?q=%25", "/users?q=_", "/users?q=%25%25%25_", "/users?q=!", "/users?q=%5C", "/users?q=' OR '1'='1",
        "/users?q=%00", "/users?q=%FF%FE", "/users?q=%E2%80%AE", "/users?q=%3Cscript%3E", "/users?q=a&q=b",
        "/users?q=" + new string('x', 101), "/users?q=" + new string('x', 100_000),
        "/users?q=%20%20", "/users?page=-1&size=100000", "/users?size=99999999999999999999",
        "/users/-1", "/users/0", "/users/99999999999999999999", "/users/abc", "/users/new?Input.Username=x",
        "/users?q=%2500", "/users?q=%25FF%25FE", "/users?q=abc%26q%3Ddef", "/users?q=abc;q=def",
        "/users?before=638999000000000000_1%20", "/users?before=%20638999000000000000_1", "/users?before=638999000000000000__1",
        "/users?before=0638999000000000000_01", "/users?before=638999000000000000_1&q=",
    };

    /// <summary>
    /// Addresses that are malformed, each a 400 before any page or SQL: bytes that are not UTF-8 (stray, overlong,
    /// encoded surrogates, past U+10FFFF), control characters (NUL, CR/LF as in header injection, escapes, C1) in a
    /// path or a query key, a key sent twice; and a cursor with a control character, which its validator refuses.
    /// </summary>
    public static TheoryData<string> NotPlainTextUrls => new()
    {
        "/users?q=%FF%FEabc", "/users?q=abc%C0%AF", "/users?q=abc%E0%80%AF", "/users?q=%F0%80%80%AFabc",
        "/users?q=%ED%A0%80abc", "/users?q=%ED%B0%80abc", "/users?q=%F4%90%80%80abc", "/users?q=abc%80", "/users?q=abc%C3",
        "/users?before=%FF", "/users?after=%C0%AF", "/users?before=1_1%00", "/users?after=%0D%0A1_1",
        "/users?x=%C0%8A", "/users?%00=1", "/users?a%0Db=1", "/users?%FF=1",
        "/users?q=abc&q=def", "/users?before=1_1&before=2_2", "/users?q=abc&Q=def", "/users?x=1&x=1",
        "/users/1%0A", "/users/1%0D%0ASet-Cookie:%20admin=1", "/users/%FF", "/users/1%C0%80", "/users/%ED%A0%80",
        "/users/new?x=%FF",
    };

    /// <summary>
    /// Control characters in the value of a key no page reads: text that is never read, stored or echoed, so ignored
    /// like the key itself (what a field may hold is its validator's to say).
    /// </summary>
    public static TheoryData<string> ControlCharactersInUnreadValues => new()
    {
        "/users?utm_source=%00", "/users?x=%0D%0ASet-Cookie:%20admin=1", "/users?x=%1B%5B31m", "/users?x=%C2%85",
        "/users/new?x=%1B", "/healthz?x=%00", "/?x=%0A",
    };

    /// <summary>Search terms of bidi, invisible and look-alike characters: text, so searched for and echoed as typed.</summary>
    public static TheoryData<string> OddButPlainSearches => new()
    {
        "\u202Eabc", "ab\u200Bc", "\uFEFFabc", "\u2066abc\u2069", "abc\u061C", "ad\u00ADmin", "\u0430dmin", "ａｄｍｉｎ",
        "admin\U000E0041", "😀😀😀", "\uFFFDabc", "%FF%FE", "100%", "a_b%c",
    };

    /// <summary>Each method no page handles, at each page, with the methods the page answers instead.</summary>
    public static TheoryData<string, string, string> UnhandledMethods => new(
        from method in Methods
        from page in Pages
        where !page.Allow.Contains(method, StringComparison.Ordinal)
        select (method, page.Url, page.Allow));

    private static readonly string[] Methods = ["PUT", "DELETE", "TRACE", "PATCH", "POST"];

    private static readonly (string Url, string Allow)[] Pages = [("/users", "GET, HEAD"), ("/users/new", "GET, HEAD, POST"), ("/users/1", "GET, HEAD")];

    /// <summary>The corpus as an email: as the whole address, as the local part and as the domain.</summary>
    public static IEnumerable<(string Name, string Email)> AsEmails() =>
        Values.SelectMany(v => new[]
        {
            (v.Name + " as the address", v.Value),
            (v.Name + " before the @", v.Value + "@example.com"),
            (v.Name + " in the domain", "someone@" + v.Value + ".example"),
        }).Append(("two @", "a@@example.com")).Append(("CR/LF after a valid address", "a@example.com\r\nBcc: victim@example.com"));
}
