namespace UserPages.Tests.Pages.Users;

/// <summary>
/// The corpus of hostile field values: each must be refused (400 with the message beside its field) whether it is
/// sent as the username or inside the email, and none may ever be stored. A NUL byte never reaches the page at all:
/// ASP.NET Core's form reader refuses the whole form, which is the generic friendly 400.
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
    };

    /// <summary>The corpus as an email: as the whole address, as the local part and as the domain.</summary>
    public static IEnumerable<(string Name, string Email)> AsEmails() =>
        Values.SelectMany(v => new[]
        {
            (v.Name + " as the address", v.Value),
            (v.Name + " before the @", v.Value + "@example.com"),
            (v.Name + " in the domain", "someone@" + v.Value + ".example"),
        }).Append(("two @", "a@@example.com")).Append(("CR/LF after a valid address", "a@example.com\r\nBcc: victim@example.com"));
}
