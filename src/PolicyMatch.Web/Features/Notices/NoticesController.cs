using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;

namespace PolicyMatch.Web.Features.Notices;

public sealed record NoticePageView(NoticeRow Notice, IReadOnlyList<MessageItem> Measures, InboxItem? InboxItem);

/// <summary>
/// A published notice, public like the catalog it belongs to (emails link here). A signed-in user who
/// got it in their inbox can confirm having read it here, which stops its deadline reminder.
/// Scheduled notices are not in <c>notices</c> until sent, so nothing shows early.
/// </summary>
public sealed class NoticesController(NoticeSchedules schedules, NoticeInbox inbox, CatalogCache catalog) : Controller
{
    [HttpGet("/notices/{id}")]
    public async Task<IActionResult> Show(string id, CancellationToken ct)
    {
        if (await schedules.PublishedAsync(id, ct) is not { } notice)
        {
            return NotFound();
        }
        var titles = (await catalog.GetPublishedAsync(ct)).ToDictionary(m => m.Row.MeasureId, m => m.Row.Title);
        var measures = (await schedules.MeasuresOfAsync(id, ct)).Select(m => new MessageItem(m, titles.GetValueOrDefault(m, m))).ToList();
        var item = CurrentUser.IdOf(User) is { } user ? await inbox.ForNoticeAsync(user, id, ct) : null;
        return View("~/Features/Notices/Show.cshtml", new NoticePageView(notice, measures, item));
    }
}
