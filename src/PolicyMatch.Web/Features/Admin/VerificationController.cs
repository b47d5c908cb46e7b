using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Admin;

public sealed record VerificationQueueView(IReadOnlyList<VerificationRow> Pending);

/// <summary>
/// The administrators' review queue: verifications of companies and incubators, and disputes over
/// who owns a company. Evidence files are served only here, to administrators, never cached.
/// </summary>
[Authorize(Roles = Roles.Admin)]
public sealed class VerificationController(VerificationRepository verifications) : Controller
{
    [HttpGet("/admin/verification")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View("Verification", new VerificationQueueView(await verifications.PendingAsync(ct)));

    /// <summary>
    /// The uploaded file, with the type its bytes showed at upload (never the uploader's claim),
    /// not cached anywhere, and sandboxed so a crafted PDF or image cannot run script in the portal.
    /// </summary>
    [HttpGet("/admin/verification/{id:long}/evidence")]
    public async Task<IActionResult> Evidence(long id, CancellationToken ct)
    {
        if (await verifications.EvidenceAsync(id, ct) is not { } evidence)
        {
            return NotFound();
        }
        Response.Headers.CacheControl = "no-store";
        Response.Headers["X-Content-Type-Options"] = "nosniff";
        Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; img-src 'self'; object-src 'self'";
        var extension = evidence.ContentType switch { "application/pdf" => ".pdf", "image/png" => ".png", _ => ".jpg" };
        return File(evidence.Content, evidence.ContentType, $"evidence-{id}{extension}");
    }

    [HttpPost("/admin/verification/{id:long}/{decision:regex(^(approve|reject)$)}")]
    public async Task<IActionResult> Decide(long id, string decision, [FromForm] string? note, CancellationToken ct)
    {
        if (note is { Length: > 1000 })
        {
            note = note[..1000];
        }
        if (!await verifications.DecideAsync(id, decision == "approve", User.Id(), note, ct))
        {
            return NotFound();
        }
        TempData["Flash"] = decision == "approve" ? T("已通过。", "Approved.") : T("已驳回。", "Rejected.");
        return Redirect("/admin/verification");
    }
}
