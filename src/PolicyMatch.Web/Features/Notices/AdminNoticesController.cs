using PolicyMatch.Web.Infrastructure.Time;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Notices;

public sealed record NoticeListView(IReadOnlyList<NoticeListRow> Notices);

/// <summary>Who a notice would reach on its send date, as the profiles and subscriptions are now.</summary>
/// <param name="Total">How many users it reaches; <paramref name="Recipients"/> are the first <see cref="Shown"/> of them.</param>
public sealed record RecipientPreview(DateOnly AsOf, int Total, IReadOnlyList<Recipient> Recipients)
{
    public const int Shown = PreviewedRecipients.Listed;

    /// <summary>The date of the stored matches the preview read; null when it evaluated the profiles.</summary>
    public DateOnly? StoredAsOf { get; init; }
}

public sealed record NoticeEditView(NoticeForm Form, IReadOnlyList<MeasureVersionRow> Measures, RecipientPreview? Preview, DateOnly Today)
{
    /// <summary>The documents a notice can be written from (seeded plans and portal documents).</summary>
    public IReadOnlyList<PlanRow> Documents { get; init; } = [];
}

public sealed record NoticeDetailView(
    string Id, string Kind, string Title, string Body, NoticeStatus Status, string? SendAt, DateOnly? PublishedOn,
    DateOnly? WindowOpens, DateOnly? WindowCloses, string? Author, IReadOnlyList<MessageItem> Measures,
    RecipientPreview? Preview, IReadOnlyList<MessageProgress> Progress)
{
    public IReadOnlyList<AttachmentRow> Attachments { get; init; } = [];

    /// <summary>Why the last upload was refused (shown next to the file field).</summary>
    public string? AttachmentError { get; init; }
}

/// <summary>
/// Administrators write notices, link them to measures, set the window and the send time, preview who
/// would receive them, schedule and cancel them. Sending is the jobs' business: nothing here talks to SMTP.
/// </summary>
[Authorize(Roles = Roles.Admin)]
[Route("admin/notices")]
public sealed class AdminNoticesController(
    NoticeSchedules schedules, NoticeAuthoring authoring, RecipientResolver recipients, DeliveryDashboard deliveries,
    CatalogCache catalog, CatalogRepository repository, NoticeAttachments attachments, TimeProvider clock) : Controller
{

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View("AdminIndex", new NoticeListView(await schedules.ListAsync(ct)));

    /// <summary>The empty form; <paramref name="document"/> (a plan id, from a document's page) preselects the document it is written from.</summary>
    [HttpGet("new")]
    public async Task<IActionResult> New(string? document, CancellationToken ct)
    {
        var tomorrow = BeijingTime.Today(clock).AddDays(1);
        var form = new NoticeForm { Kind = NoticeKind.ClaimCall, SendAt = $"{tomorrow:yyyy-MM-dd}T09:00", Document = document };
        return await EditAsync(form, null, ct);
    }

    private async Task<IActionResult> EditAsync(NoticeForm form, RecipientPreview? preview, CancellationToken ct) =>
        View("AdminEdit", new NoticeEditView(form, await PublishedAsync(ct), preview, BeijingTime.Today(clock))
        {
            Documents = await repository.GetPlansAsync(ct),
        });

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
            return await EditAsync(form, null, ct);
        }
        if (form.Intent != "schedule")
        {
            var asOf = BeijingTime.DateOf(notice.SendAt);
            var users = await recipients.PreviewAsync(notice.Measures, notice.Kind, asOf, notice.Regions, ct: ct);
            var preview = new RecipientPreview(asOf, users.Total, users.First) { StoredAsOf = users.StoredAsOf };
            return await EditAsync(form, preview, ct);
        }
        var id = await schedules.CreateAsync(notice, User.Id(), ct);
        TempData["Flash"] = T($"已安排于 {BeijingTime.Show(notice.SendAt)}发送", $"Scheduled for {BeijingTime.Show(notice.SendAt)}");
        return Redirect($"/admin/notices/{id}");
    }

    [HttpGet("{id}")]
    public async Task<IActionResult> Show(string id, CancellationToken ct) => await ShowAsync(id, null, ct);

    /// <summary>
    /// Adds a file to a notice (scheduled or published; not a cancelled one). A refused file re-shows the
    /// page with the reason next to the file field and nothing stored; the notice itself is untouched.
    /// </summary>
    [HttpPost("{id}/attachments")]
    [RequestSizeLimit(AttachmentFiles.MaxBytes + 64 * 1024)]
    [RequestFormLimits(MultipartBodyLengthLimit = AttachmentFiles.MaxBytes + 64 * 1024)]
    public async Task<IActionResult> AddAttachment(string id, IFormFile? file, CancellationToken ct)
    {
        var scheduled = await schedules.FindAsync(id, ct);
        if (scheduled is null && await schedules.PublishedAsync(id, ct) is null)
        {
            return NotFound();
        }
        if (scheduled?.Status == NoticeStatus.Cancelled)
        {
            return await RefuseAsync(id, T("该通知已取消,不能再添加附件", "The notice is cancelled: no attachments can be added"), ct);
        }
        var (checkedFile, error) = await AttachmentFiles.ReadAsync(file, ct);
        if (checkedFile is null)
        {
            return await RefuseAsync(id, error!, ct);
        }
        var email = User.FindFirstValue(ClaimTypes.Email) ?? $"user:{User.Id()}";
        if (await attachments.AddAsync(id, checkedFile, User.Id(), email, ct) is null)
        {
            return await RefuseAsync(id, T($"每条通知最多 {AttachmentFiles.MaxPerNotice} 个附件,请先删除不需要的附件", $"A notice has at most {AttachmentFiles.MaxPerNotice} attachments: remove one first"), ct);
        }
        TempData["Flash"] = T($"已添加附件:{checkedFile.FileName}", $"Attached: {checkedFile.FileName}");
        return Redirect($"/admin/notices/{id}#attachments");
    }

    [HttpPost("{id}/attachments/{attachment:long}/delete")]
    public async Task<IActionResult> RemoveAttachment(string id, long attachment, CancellationToken ct)
    {
        if (!await attachments.RemoveAsync(id, attachment, User.Id(), ct))
        {
            return NotFound();
        }
        TempData["Flash"] = T("已删除附件", "Attachment removed");
        return Redirect($"/admin/notices/{id}#attachments");
    }

    private async Task<IActionResult> RefuseAsync(string id, string error, CancellationToken ct)
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await ShowAsync(id, error, ct);
    }

    private async Task<IActionResult> ShowAsync(string id, string? attachmentError, CancellationToken ct)
    {
        var files = await attachments.ListAsync(id, ct);
        var measures = await MeasureItemsAsync(await schedules.MeasuresOfAsync(id, ct), ct);
        var progress = await deliveries.ProgressAsync(20, id, ct);
        if (await schedules.FindAsync(id, ct) is { } s)
        {
            RecipientPreview? preview = null;
            if (s.Status == NoticeStatus.Scheduled)
            {
                var asOf = BeijingTime.DateOf(s.SendAtInstant);
                var users = await recipients.PreviewAsync(measures.Select(m => m.Id).ToList(), s.Kind, asOf, await recipients.RegionsOfAsync(s.Id, ct), ct: ct);
                preview = new RecipientPreview(asOf, users.Total, users.First) { StoredAsOf = users.StoredAsOf };
            }
            return View("AdminShow", new NoticeDetailView(s.Id, s.Kind, s.Title, s.Body, s.Status, s.SendAt,
                null, s.WindowOpens, s.WindowCloses, s.CreatedByName, measures, preview, progress)
            { Attachments = files, AttachmentError = attachmentError });
        }
        if (await schedules.PublishedAsync(id, ct) is { } n)
        {
            return View("AdminShow", new NoticeDetailView(n.Id, n.Kind, n.Title, n.Body, NoticeStatus.Published, null,
                n.PublishedOn, n.WindowOpens, n.WindowCloses, null, measures, null, progress)
            { Attachments = files, AttachmentError = attachmentError });
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
