namespace UserPages.Data;

/// <summary>A row of the <c>users</c> table.</summary>
public sealed class User
{
    public long Id { get; init; }

    public string Username { get; init; } = "";

    public string Email { get; init; } = "";

    /// <summary>When the user signed up, in UTC (the engines hand it back without a kind).</summary>
    public DateTime CreatedAt
    {
        get;
        init => field = DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }

    /// <summary>When the address was last proven by a link in mail; null for an entry made without confirmation.</summary>
    public DateTime? ConfirmedAt
    {
        get;
        init => field = value is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null;
    }

    /// <summary>Raised by every edit; an edit or delete names the version it was made against.</summary>
    public int RowVersion { get; init; }
}

/// <summary>
/// A signup ready to insert: username trimmed, email trimmed and lower-cased; <see cref="ConfirmedAt"/> is when its
/// address was proven, null when it was not asked to be.
/// </summary>
public sealed record NewUser(string Username, string Email, DateTime? ConfirmedAt = null);

/// <summary>A user brought in with a known join date (demo data, imports).</summary>
public sealed record ImportedUser(string Username, string Email, DateTime CreatedAt);

/// <summary>The field whose uniqueness a signup violated.</summary>
public enum UserField
{
    Username,
    Email,
}

/// <summary>What adding a user came to: the new id, or the field that is already taken.</summary>
public readonly record struct AddUserResult(long Id, UserField? Conflict)
{
    public bool Added => Conflict is null;

    public static AddUserResult Created(long id) => new(id, null);

    public static AddUserResult Taken(UserField field) => new(0, field);
}

/// <summary>What an edit of an entry came to.</summary>
public enum EntryChange
{
    Saved,

    /// <summary>The row changed since the version the edit was made against: nothing was written.</summary>
    Conflict,

    /// <summary>The row is gone.</summary>
    Gone,

    /// <summary>Another entry has the username or email.</summary>
    Taken,
}

/// <summary>
/// The users' version, which the database raises with every change to the users: two reads that see the same version
/// see the same users. The listing's kept pages are kept under it.
/// </summary>
public readonly record struct UsersVersion(long Value);
