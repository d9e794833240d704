using System.Globalization;

namespace UserPages.Pages;

/// <summary>
/// What a page's own 404 means, said by the friendly error page instead of its generic text; <c>{name}</c> is filled
/// from the route, so <c>"User #{id} does not exist."</c> names the number asked for.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class NotFoundExplanationAttribute(string template) : Attribute
{
    public string Template { get; } = template;

    public string Explain(IReadOnlyDictionary<string, object?> routeValues) =>
        routeValues.Aggregate(Template, (text, value) => text.Replace($"{{{value.Key}}}", Convert.ToString(value.Value, CultureInfo.InvariantCulture), StringComparison.Ordinal));
}
