using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Documents;

public sealed record DocumentListView(IReadOnlyList<(PlanRow Plan, string Origin)> Documents);

public sealed record DocumentNewView(DocumentForm Form);

public sealed record DocumentShowView(PlanRow Plan, string Origin, long CurrentVersion, IReadOnlyList<PlanVersionRow> Versions,
    IReadOnlyList<ClauseRow> Clauses, IReadOnlyList<ClauseSuggestions> Suggestions, string? Flash);

public sealed record DocumentReplaceView(PlanRow Plan, DocumentForm Form, IReadOnlyList<LostQuote>? LostQuotes);

/// <summary>
/// Administrators add policy documents (pasted text, .txt or .docx), replace a document's text with
/// a new version, and read the draft measures the suggester proposes from its clauses.
/// </summary>
[Authorize(Roles = Roles.Admin)]
[Route("admin/documents")]
public sealed class DocumentsController(DocumentRepository documents, CatalogRepository catalog) : Controller
{
    // A little over the file limit, so an oversized file reaches DocumentText and gets its message
    // instead of the server's bare 413.
    private const long RequestLimit = DocumentText.MaxBytes + 4 * 1024 * 1024;

    private string Email => User.FindFirstValue(ClaimTypes.Email) ?? $"user:{User.Id()}";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var plans = await catalog.GetPlansAsync(ct);
        var list = new List<(PlanRow, string)>();
        foreach (var p in plans)
        {
            list.Add((p, (await documents.GetOriginAsync(p.Id, ct))?.Origin ?? "seed"));
        }
        return View(new DocumentListView(list));
    }

    [HttpGet("new")]
    public IActionResult New() => View(new DocumentNewView(new DocumentForm()));

    [HttpPost("new")]
    [RequestSizeLimit(RequestLimit)]
    [RequestFormLimits(MultipartBodyLengthLimit = RequestLimit)]
    public async Task<IActionResult> New([FromForm] DocumentForm form, CancellationToken ct)
    {
        var (meta, errors) = form.Check();
        var (intake, source) = await form.ReadTextAsync(ct);
        if (intake.Error is not null)
        {
            errors[form.File is { Length: > 0 } ? nameof(DocumentForm.File) : nameof(DocumentForm.Text)] = intake.Error;
        }
        if (meta is null || intake.Text is null)
        {
            foreach (var (field, message) in errors)
            {
                ModelState.AddModelError(field, message);
            }
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(new DocumentNewView(form));
        }
        var id = await documents.CreateAsync(meta, intake.Text, source, User.Id(), Email, ct);
        return Redirect($"/admin/documents/{id}?created=true");
    }

    [HttpGet("{id}")]
    public async Task<IActionResult> Show(string id, bool created, long? replaced, bool seeded, CancellationToken ct)
    {
        if (await catalog.GetPlanAsync(id, ct) is not { } plan || plan.Id != id)
        {
            return NotFound();
        }
        var (origin, current) = (await documents.GetOriginAsync(id, ct))!.Value;
        var clauses = await catalog.GetClausesAsync(id, ct);
        var flash = created ? T("文件已保存。下面是从正文中找到的可能面向企业的条款及建议措施,请逐条审核。", "The document is saved. Below are the clauses that may give companies something, with suggested measures to review.")
            : replaced is { } v ? T($"正文已替换为第 {v} 版;旧版本仍保留。", $"The text is replaced by version {v}; the old versions are kept.")
            : seeded ? T("这是种子文件:其正文在 seeds/plans 中维护,随程序发布更新,不能在此替换。", "This is a seed file: its text is kept in seeds/plans and updated with a release, not replaced here.")
            : null;
        var suggestions = Suggester.ForClauses(clauses.Select(c => (c.Ref, c.Text)), plan.Regions);
        return View(new DocumentShowView(plan, origin, current, await documents.GetVersionsAsync(id, ct), clauses, suggestions, flash));
    }

    [HttpGet("{id}/text")]
    public async Task<IActionResult> Replace(string id, CancellationToken ct)
    {
        if (await PortalPlanAsync(id, ct) is not { } plan)
        {
            return await SeededOrNotFoundAsync(id, ct);
        }
        return View(new DocumentReplaceView(plan, new DocumentForm { Text = plan.Body }, null));
    }

    /// <summary>
    /// Replaces the text. When measures cite quotes the new text no longer contains, the first post
    /// lists them and asks again (confirm=true); nothing is stored until then.
    /// </summary>
    [HttpPost("{id}/text")]
    [RequestSizeLimit(RequestLimit)]
    [RequestFormLimits(MultipartBodyLengthLimit = RequestLimit)]
    public async Task<IActionResult> Replace(string id, [FromForm] DocumentForm form, bool confirm, CancellationToken ct)
    {
        if (await PortalPlanAsync(id, ct) is not { } plan)
        {
            return await SeededOrNotFoundAsync(id, ct);
        }
        var (intake, source) = await form.ReadTextAsync(ct);
        if (intake.Text is null)
        {
            ModelState.AddModelError(form.File is { Length: > 0 } ? nameof(DocumentForm.File) : nameof(DocumentForm.Text), intake.Error!);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(new DocumentReplaceView(plan, form, null));
        }
        var lost = await documents.LostQuotesAsync(id, intake.Text, ct);
        if (lost.Count > 0 && !confirm)
        {
            // Show the text back as read (a file's content too), so confirming posts the same text.
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View(new DocumentReplaceView(plan, new DocumentForm { Text = intake.Text }, lost));
        }
        var version = await documents.ReplaceTextAsync(id, intake.Text, source, User.Id(), Email, lost.Count, ct);
        return Redirect(version is { } v ? $"/admin/documents/{id}?replaced={v}" : $"/admin/documents/{id}");
    }

    private async Task<IActionResult> SeededOrNotFoundAsync(string id, CancellationToken ct) =>
        await catalog.GetPlanAsync(id, ct) is { } plan && plan.Id == id ? Redirect($"/admin/documents/{id}?seeded=true") : NotFound();

    /// <summary>Only documents added in the portal are replaced here; seeded plans are owned by seeds/.</summary>
    private async Task<PlanRow?> PortalPlanAsync(string id, CancellationToken ct) =>
        await catalog.GetPlanAsync(id, ct) is { } plan && plan.Id == id && (await documents.GetOriginAsync(id, ct))?.Origin == "portal" ? plan : null;
}
