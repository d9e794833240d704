namespace UserPages.Pages;

/// <summary>A request feature: the handler's own words for its error status, which the error page shows instead of its own.</summary>
public sealed record ErrorExplanation(string Text);
