using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using UserPages.Data;

namespace UserPages.Pages.Users;

/// <summary>One user by id; an unknown id is a 404, never an empty page.</summary>
public sealed class DetailsModel(Database database, UserRepository users, TimeProvider clock) : PageModel
{
    public User Profile { get; private set; } = new();

    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        await using var unit = await database.BeginReadAsync(cancellationToken);
        if (await users.GetByIdAsync(unit, id, cancellationToken) is not { } user)
        {
            return NotFound();
        }

        Profile = user;
        return Page();
    }
}
