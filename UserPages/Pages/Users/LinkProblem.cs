using Microsoft.AspNetCore.Mvc.RazorPages;

namespace UserPages.Pages.Users;

/// <summary>Why a link from a mail did not work; each answers a 4xx page that says what to do next.</summary>
public enum LinkProblem
{
    /// <summary>Not a link we made, mistyped, or already used (a used link is deleted, so the two look the same).</summary>
    Unknown,

    Expired,

    /// <summary>Used by another request a moment ago.</summary>
    Used,

    /// <summary>The username was taken by another entry while the link waited.</summary>
    UsernameTaken,

    /// <summary>The address was taken by another entry while the link waited.</summary>
    EmailTaken,
}

public static class LinkProblems
{
    /// <summary>The link's page, saying what went wrong, with the problem's status.</summary>
    public static PageResult Answer(this PageModel page, LinkProblem problem)
    {
        var result = page.Page();
        result.StatusCode = problem.Status();
        return result;
    }

    public static int Status(this LinkProblem problem) => problem switch
    {
        LinkProblem.Expired => StatusCodes.Status410Gone,
        LinkProblem.UsernameTaken or LinkProblem.EmailTaken => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status404NotFound,
    };

    public static string Heading(this LinkProblem problem) => problem switch
    {
        LinkProblem.Expired => "This link has expired",
        LinkProblem.UsernameTaken => "That username was taken meanwhile",
        LinkProblem.EmailTaken => "That address has an entry now",
        _ => "This link does not work",
    };

    public static string Explanation(this LinkProblem problem) => problem switch
    {
        LinkProblem.Expired => "Links in our mail work for a limited time, and this one's time is up. Nothing was changed.",
        LinkProblem.UsernameTaken => "Another entry took the username while your link waited, so nothing was listed and the username you asked for is free of your signup.",
        LinkProblem.EmailTaken => "Another entry moved to this address while your link waited, so nothing was changed.",
        _ => "It was used already, or it was copied incompletely. Each link works once. Nothing was changed.",
    };
}
