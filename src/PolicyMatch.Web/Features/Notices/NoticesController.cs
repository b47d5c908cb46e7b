using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;

namespace PolicyMatch.Web.Features.Notices;

public sealed record NoticePageView(NoticeRow Notice, IReadOnlyList<MessageItem> Measures, InboxItem? InboxItem)
{
    public IReadOnlyList<AttachmentRow> Attachments { get; init; } = [];
}

/// <summary>
/// A published notice, public like the catalog it belongs to (emails link here). A signed-in user who
/// got it in their inbox can confirm having read it here, which stops its deadline reminder.
/// Scheduled notices are not in <c>notices</c> until sent, so nothing shows early.
/// </summary>
public sealed class NoticesController(NoticeSchedules schedules, NoticeInbox inbox, CatalogCache catalog, NoticeAttachments attachments) : Controller
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
        return View("Show", new NoticePageView(notice, measures, item) { Attachments = await attachments.ListAsync(id, ct) });
    }

    /// <summary>
    /// A notice's file, to whoever may see the notice: everyone once it is published (like the notice
    /// page), administrators before (a scheduled notice being prepared). Always a download
    /// (Content-Disposition: attachment), never cached (no-store), never sniffed or scripted.
    /// </summary>
    [HttpGet("/notices/{id}/attachments/{attachment:long}")]
    public async Task<IActionResult> Attachment(string id, long attachment, CancellationToken ct)
    {
        if (await schedules.PublishedAsync(id, ct) is null && !(User.IsInRole(Roles.Admin) && await schedules.FindAsync(id, ct) is not null))
        {
            return NotFound();
        }
        if (await attachments.ContentAsync(id, attachment, ct) is not { } file)
        {
            return NotFound();
        }
        Response.Headers.CacheControl = "no-store";
        Response.Headers["X-Content-Type-Options"] = "nosniff";
        Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        // File(..., fileDownloadName) writes Content-Disposition: attachment with the RFC 5987 UTF-8 name.
        return File(file.Content, file.ContentType, file.FileName);
    }
}
