using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Notices;

public sealed record NoticeListView(IReadOnlyList<NoticeListRow> Notices);

/// <summary>Who a notice would reach on its send date, as the profiles and subscriptions are now.</summary>
public sealed record RecipientPreview(DateOnly AsOf, IReadOnlyList<Recipient> Recipients)
{
    public const int Shown = 100;
}

public sealed record NoticeEditView(NoticeForm Form, IReadOnlyList<MeasureVersionRow> Measures, RecipientPreview? Preview, DateOnly Today);

public sealed record NoticeDetailView(
    string Id, string Kind, string Title, string Body, string Status, string? SendAt, DateOnly? PublishedOn,
    DateOnly? WindowOpens, DateOnly? WindowCloses, string? Author, IReadOnlyList<MessageItem> Measures,
    RecipientPreview? Preview, IReadOnlyList<MessageProgress> Progress);

/// <summary>
/// Administrators write notices, link them to measures, set the window and the send time, preview who
/// would receive them, schedule and cancel them. Sending is the jobs' business: nothing here talks to SMTP.
/// </summary>
[Authorize(Roles = Roles.Admin)]
[Route("admin/notices")]
public sealed class AdminNoticesController(
    NoticeSchedules schedules, NoticeAuthoring authoring, RecipientResolver recipients, NoticeOutbox outbox,
    CatalogCache catalog, TimeProvider clock) : Controller
{
    private const string Views = "~/Features/Notices/";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(Views + "AdminIndex.cshtml", new NoticeListView(await schedules.ListAsync(ct)));

    [HttpGet("new")]
    public async Task<IActionResult> New(CancellationToken ct)
    {
        var tomorrow = BeijingTime.Today(clock).AddDays(1);
        var form = new NoticeForm { Kind = NoticeKinds.ClaimCall, SendAt = $"{tomorrow:yyyy-MM-dd}T09:00" };
        return View(Views + "AdminEdit.cshtml", new NoticeEditView(form, await PublishedAsync(ct), null, BeijingTime.Today(clock)));
    }

    /// <summary>Previews the recipients (Intent=preview) or schedules the notice (Intent=schedule).</summary>
    [HttpPost("new")]
    public async Task<IActionResult> Create([FromForm] NoticeForm form, CancellationToken ct)
    {
        var (notice, errors) = await authoring.CheckAsync(form, ct);
        foreach (var (field, message) in errors)
        {
            ModelState.AddModelError(field, message);
        }
        if (!ModelState.IsValid || notice is null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(Views + "AdminEdit.cshtml", new NoticeEditView(form, await PublishedAsync(ct), null, BeijingTime.Today(clock)));
        }
        if (form.Intent != "schedule")
        {
            var asOf = BeijingTime.DateOf(notice.SendAt);
            var preview = new RecipientPreview(asOf, await recipients.ForMeasuresAsync(notice.Measures, notice.Kind, asOf, notice.Regions, ct));
            return View(Views + "AdminEdit.cshtml", new NoticeEditView(form, await PublishedAsync(ct), preview, BeijingTime.Today(clock)));
        }
        var id = await schedules.CreateAsync(notice, User.Id(), ct);
        TempData["Flash"] = T($"已安排于 {BeijingTime.Format(notice.SendAt)}(北京时间)发送", $"Scheduled for {BeijingTime.Format(notice.SendAt)} Beijing time");
        return Redirect($"/admin/notices/{id}");
    }

    [HttpGet("{id}")]
    public async Task<IActionResult> Show(string id, CancellationToken ct)
    {
        var measures = await MeasureItemsAsync(await schedules.MeasuresOfAsync(id, ct), ct);
        var progress = await outbox.ProgressAsync(20, id, ct);
        if (await schedules.FindAsync(id, ct) is { } s)
        {
            RecipientPreview? preview = null;
            if (s.Status == "scheduled")
            {
                var asOf = BeijingTime.DateOf(s.SendAtInstant);
                preview = new RecipientPreview(asOf, await recipients.ForNoticeAsync(s.Id, measures.Select(m => m.Id).ToList(), s.Kind, asOf, ct));
            }
            return View(Views + "AdminShow.cshtml", new NoticeDetailView(s.Id, s.Kind, s.Title, s.Body, s.Status, s.SendAt,
                null, s.WindowOpens, s.WindowCloses, s.CreatedByName, measures, preview, progress));
        }
        if (await schedules.PublishedAsync(id, ct) is { } n)
        {
            return View(Views + "AdminShow.cshtml", new NoticeDetailView(n.Id, n.Kind, n.Title, n.Body, "published", null,
                n.PublishedOn, n.WindowOpens, n.WindowCloses, null, measures, null, progress));
        }
        return NotFound();
    }

    [HttpPost("{id}/cancel")]
    public async Task<IActionResult> Cancel(string id, CancellationToken ct)
    {
        if (await schedules.FindAsync(id, ct) is null)
        {
            return NotFound();
        }
        TempData["Flash"] = await schedules.CancelAsync(id, User.Id(), ct)
            ? T("已取消发送", "Cancelled: it will not be sent")
            : T("该通知已发送或已取消,无法取消", "It was already sent or cancelled");
        return Redirect($"/admin/notices/{id}");
    }

    private async Task<IReadOnlyList<MeasureVersionRow>> PublishedAsync(CancellationToken ct) =>
        (await catalog.GetPublishedAsync(ct)).Select(m => m.Row).ToList();

    private async Task<IReadOnlyList<MessageItem>> MeasureItemsAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        var titles = (await catalog.GetPublishedAsync(ct)).ToDictionary(m => m.Row.MeasureId, m => m.Row.Title);
        return ids.Select(i => new MessageItem(i, titles.GetValueOrDefault(i, i))).ToList();
    }
}
