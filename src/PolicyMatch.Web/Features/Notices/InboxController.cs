using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PolicyMatch.Web.Features.Account;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Notices;

public sealed record InboxView(IReadOnlyList<InboxItem> Items, int Unread, bool HasSubscriptions);

public sealed record SubscriptionsView(string Email, IReadOnlySet<string> Subscribed, int ReminderDays);

/// <summary>
/// The signed-in user's inbox and subscriptions. Everything is the user's own: an item id that is not
/// theirs is a 404, whoever asks.
/// </summary>
[Authorize]
public sealed class InboxController(NoticeInbox inbox, IOptions<NoticesOptions> options) : Controller
{
    [HttpGet("/inbox")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var user = User.Id();
        return View("Inbox", new InboxView(
            await inbox.ListAsync(user, NoticeInbox.PageSize, ct), await inbox.UnreadCountAsync(user, ct),
            (await inbox.SubscriptionsAsync(user, ct)).Count > 0));
    }

    /// <summary>Confirms having read an item; back to where the button was (a local path only).</summary>
    [HttpPost("/inbox/{id:long}/acknowledge")]
    public async Task<IActionResult> Acknowledge(long id, [FromForm] string? returnUrl, CancellationToken ct)
    {
        if (!await inbox.AcknowledgeAsync(User.Id(), id, ct))
        {
            return NotFound();
        }
        return Redirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/inbox");
    }

    [HttpGet("/subscriptions")]
    public async Task<IActionResult> Subscriptions(CancellationToken ct) =>
        View("Subscriptions", new SubscriptionsView(
            User.FindFirst(System.Security.Claims.ClaimTypes.Email)?.Value ?? "", await inbox.SubscriptionsAsync(User.Id(), ct), options.Value.DeadlineReminderDays));

    /// <summary>Saves the ticked kinds: exactly those are subscribed afterwards.</summary>
    [HttpPost("/subscriptions")]
    public async Task<IActionResult> SaveSubscriptions([FromForm] List<string>? kinds, CancellationToken ct)
    {
        await inbox.SetSubscriptionsAsync(User.Id(), kinds ?? [], ct);
        TempData["Flash"] = T("订阅已保存", "Subscriptions saved");
        return Redirect("/subscriptions");
    }
}
