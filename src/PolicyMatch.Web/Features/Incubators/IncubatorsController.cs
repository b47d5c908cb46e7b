using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Features.Profiles;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Incubators;

/// <summary>Where the pages of one incubator live: /incubator for its advisor, /incubator/{id} for an administrator.</summary>
public sealed record Workspace(IncubatorRow Incubator, string BasePath, bool CanEdit);

public sealed record IncubatorView(Workspace Workspace, TenantMatrix Matrix);

public sealed record IncubatorListView(IReadOnlyList<IncubatorSummaryRow> Incubators);

public sealed record NewTenantView(Workspace Workspace, ProfileFormView Profile);

public sealed record RemoveTenantView(Workspace Workspace, TenantRow Tenant);

public sealed record ImportView(Workspace Workspace, TenantCsvResult? Result, string? FileName);

public sealed record MatrixView(Workspace Workspace, TenantMatrix Matrix, string? AsOfError);

public sealed record ReportView(CompanyRow Company, MatchReport Report, string? AsOfError);

/// <summary>
/// An incubator advisor's workspace: the tenants, adding them by form or CSV import, the tenants ×
/// measures matrix, a printable report per tenant, and exports.
/// <para>
/// Authorisation: advisors and administrators only (the role check); then every action resolves the
/// incubator through <see cref="ResolveAsync"/> (an advisor reaches only the incubator they advise,
/// an administrator any) and every tenant through that incubator or <see cref="CompanyAccess"/>. Anything
/// else is a 404, so neither an incubator's nor a company's existence leaks. Changes (add, import,
/// remove) are the advisor's; administrators look.
/// </para>
/// </summary>
[Authorize(Roles = Roles.Advisor + "," + Roles.Admin)]
[Route("incubator")]
public sealed class IncubatorsController(
    IncubatorRepository incubators, CompanyRepository companies, CompanyAccess access, ProfileValidator validator,
    TenantCsv csv, TenantMatrixBuilder matrices, MatchService matching, Rematch.RematchService rematch, TimeProvider clock) : Controller
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    /// <summary>The incubator of the request: the advisor's own (no id), or the one named, if the user may see it.</summary>
    private async Task<Workspace?> ResolveAsync(long? id, CancellationToken ct)
    {
        var userId = User.Id();
        if (id is null)
        {
            return User.IsInRole(Roles.Advisor) && await incubators.ForAdvisorAsync(userId, ct) is { } mine
                ? new Workspace(mine, "/incubator", CanEdit: true)
                : null;
        }
        if (await incubators.FindAsync(id.Value, ct) is not { } incubator)
        {
            return null;
        }
        if (User.IsInRole(Roles.Advisor) && await incubators.ForAdvisorAsync(userId, ct) is { } own && own.Id == incubator.Id)
        {
            // The advisor's own incubator by its number: the same workspace as /incubator.
            return new Workspace(own, "/incubator", CanEdit: true);
        }
        if (User.IsAdmin() || await incubators.IsAdvisorOfAsync(incubator.Id, userId, ct))
        {
            return new Workspace(incubator, $"/incubator/{incubator.Id}", CanEdit: false);
        }
        return null;
    }

    // ---- the tenant list ------------------------------------------------------------------------

    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery(Name = "as_of")] string? asOf, CancellationToken ct)
    {
        if (await ResolveAsync(null, ct) is { } workspace)
        {
            return await ShowAsync(workspace, asOf, ct);
        }
        if (User.IsAdmin())
        {
            return View("List", new IncubatorListView(await incubators.AllAsync(ct)));
        }
        // An advisor account without an incubator (e.g. made by an administrator): say so plainly.
        return View("NoIncubator");
    }

    [HttpGet("{id:long}")]
    public async Task<IActionResult> Show(long id, [FromQuery(Name = "as_of")] string? asOf, CancellationToken ct) =>
        await ResolveAsync(id, ct) is { } workspace ? await ShowAsync(workspace, asOf, ct) : NotFound();

    private async Task<IActionResult> ShowAsync(Workspace workspace, string? asOf, CancellationToken ct)
    {
        var (filter, _) = await matrices.FilterAsync(null, null, null, "all", asOf, Today, defaultOnlyWithResults: false, ct);
        return View("Index", new IncubatorView(workspace, await matrices.BuildAsync(workspace.Incubator.Id, filter, ct)));
    }

    // ---- adding a tenant by form ----------------------------------------------------------------

    [HttpGet("tenants/new")]
    public async Task<IActionResult> NewTenant(CancellationToken ct) =>
        await ResolveAsync(null, ct) is { } workspace
            ? View(new NewTenantView(workspace, ProfileFormView.Empty()))
            : NotFound();

    [HttpPost("tenants/new")]
    public async Task<IActionResult> NewTenant([FromForm] ProfileForm form, CancellationToken ct)
    {
        if (await ResolveAsync(null, ct) is not { } workspace)
        {
            return NotFound();
        }
        var check = validator.FromForm(form, requireIdentity: true);
        if (!check.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(new NewTenantView(workspace, new ProfileFormView(form, check.Errors)));
        }
        var profile = check.Profile;
        if ((await incubators.RegisteredElsewhereAsync(workspace.Incubator.Id, [profile["uscc"]!.GetValue<string>()], ct)).Count > 0)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View(new NewTenantView(workspace, new ProfileFormView(form, new Dictionary<string, string> { ["uscc"] = RegisteredElsewhereMessage() })));
        }
        // The incubator is adding it, so it is an incubator tenant unless the form says otherwise.
        profile["incubator_tenant"] ??= true;
        var added = (await incubators.AddTenantsAsync(workspace.Incubator.Id, [profile], User.Id(), "incubator.tenant_added", ct)).Single();
        await RefreshMatchesAsync([added], ct);
        TempData["Flash"] = added.Outcome switch
        {
            TenantAddOutcome.Created => T($"已添加在孵企业“{added.Name}”。", $"{added.Name} is added as a tenant."),
            _ => T($"“{added.Name}”已经是本孵化器的在孵企业。", $"{added.Name} is a tenant already."),
        };
        return Redirect("/incubator");
    }

    // ---- removing a tenant ----------------------------------------------------------------------

    [HttpGet("tenants/{companyId:long}/remove")]
    public async Task<IActionResult> RemoveTenant(long companyId, CancellationToken ct)
    {
        if (await ResolveAsync(null, ct) is not { } workspace || await incubators.TenantAsync(workspace.Incubator.Id, companyId, ct) is not { } tenant)
        {
            return NotFound();
        }
        return View(new RemoveTenantView(workspace, tenant));
    }

    [HttpPost("tenants/{companyId:long}/remove")]
    [ActionName(nameof(RemoveTenant))]
    public async Task<IActionResult> RemoveTenantConfirmed(long companyId, CancellationToken ct)
    {
        if (await ResolveAsync(null, ct) is not { } workspace || await incubators.TenantAsync(workspace.Incubator.Id, companyId, ct) is not { } tenant)
        {
            return NotFound();
        }
        await incubators.RemoveTenantAsync(workspace.Incubator.Id, companyId, User.Id(), ct);
        TempData["Flash"] = T($"已将“{tenant.Name}”移出在孵企业名单。企业档案本身保留。", $"{tenant.Name} is no longer a tenant. The company's record itself is kept.");
        return Redirect("/incubator");
    }

    // ---- CSV import -----------------------------------------------------------------------------

    [HttpGet("import")]
    public async Task<IActionResult> Import(CancellationToken ct) =>
        await ResolveAsync(null, ct) is { } workspace ? View(new ImportView(workspace, null, null)) : NotFound();

    [HttpGet("import/template.csv")]
    public async Task<IActionResult> Template(string? labels, CancellationToken ct)
    {
        if (await ResolveAsync(null, ct) is null)
        {
            return NotFound();
        }
        var chinese = labels == "zh";
        return File(TenantCsv.Template(chinese), "text/csv; charset=utf-8", chinese ? "在孵企业导入模板.csv" : "tenants-template.csv");
    }

    /// <summary>
    /// Validates the whole file and imports it in one transaction, or imports nothing and lists every
    /// problem. The page's script posts with XMLHttpRequest to show upload progress: it gets the same
    /// page back on problems (and swaps in the result), and on success a JSON redirect — a real
    /// redirect would be followed inside the XHR and use up the flash message meant for the page.
    /// </summary>
    [HttpPost("import")]
    public async Task<IActionResult> Import(IFormFile? file, CancellationToken ct)
    {
        if (await ResolveAsync(null, ct) is not { } workspace)
        {
            return NotFound();
        }
        TenantCsvResult result;
        if (file is null || file.Length == 0 && string.IsNullOrEmpty(file.FileName))
        {
            result = TenantCsvResult.Refused(T("请选择要导入的 CSV 文件。", "Choose a CSV file to import."));
        }
        else if (file.Length > TenantCsv.MaxBytes)
        {
            // Refused before reading it into memory.
            result = TenantCsv.TooLarge(file.Length);
        }
        else
        {
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, ct);
            result = csv.Read(buffer.ToArray());
        }
        if (!result.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(new ImportView(workspace, result, file?.FileName));
        }

        var elsewhere = await incubators.RegisteredElsewhereAsync(workspace.Incubator.Id, result.Tenants.Select(t => t.Profile["uscc"]!.GetValue<string>()), ct);
        if (elsewhere.Count > 0)
        {
            // All or nothing: each such row is a problem of the file, reported with its line.
            result = result with
            {
                Problems = result.Tenants.Where(t => elsewhere.Contains(t.Profile["uscc"]!.GetValue<string>()))
                    .Select(t => new CsvProblem(t.Line, result.UsccColumn.Letter, result.UsccColumn.Header, t.Profile["uscc"]!.GetValue<string>(), RegisteredElsewhereMessage()))
                    .ToList(),
            };
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(new ImportView(workspace, result, file?.FileName));
        }
        var added = await incubators.AddTenantsAsync(workspace.Incubator.Id, result.Tenants.Select(t => t.Profile).ToList(), User.Id(), "incubator.tenants_imported", ct);
        await RefreshMatchesAsync(added, ct);
        var created = added.Count(a => a.Outcome == TenantAddOutcome.Created);
        var already = added.Count(a => a.Outcome == TenantAddOutcome.AlreadyTenant);
        TempData["Flash"] = T(
            $"已导入 {added.Count} 家企业:新建 {created} 家,已是在孵企业 {already} 家。",
            $"Imported {added.Count} companies: {created} new, {already} already tenants.");
        if (Request.Headers.XRequestedWith == "XMLHttpRequest")
        {
            return Json(new { redirect = "/incubator" });
        }
        return Redirect("/incubator");
    }

    /// <summary>A company created here gets its stored matches now, not at the next daily rematch.</summary>
    private async Task RefreshMatchesAsync(IEnumerable<TenantAdded> added, CancellationToken ct)
    {
        foreach (var company in added.Where(a => a.Outcome == TenantAddOutcome.Created))
        {
            await rematch.RefreshCompanyAsync(company.CompanyId, ct: ct);
        }
    }

    // ---- the matrix and its exports -------------------------------------------------------------

    [HttpGet("matrix")]
    public Task<IActionResult> Matrix(string? plan, string? kind, string? period, string? cols, [FromQuery(Name = "as_of")] string? asOf, CancellationToken ct) =>
        MatrixAsync(null, plan, kind, period, cols, asOf, ct);

    [HttpGet("{id:long}/matrix")]
    public Task<IActionResult> Matrix(long id, string? plan, string? kind, string? period, string? cols, [FromQuery(Name = "as_of")] string? asOf, CancellationToken ct) =>
        MatrixAsync(id, plan, kind, period, cols, asOf, ct);

    private async Task<IActionResult> MatrixAsync(long? id, string? plan, string? kind, string? period, string? cols, string? asOf, CancellationToken ct)
    {
        if (await ResolveAsync(id, ct) is not { } workspace)
        {
            return NotFound();
        }
        // On screen, columns no tenant has any result for are hidden unless asked for: 60-odd
        // columns of blanks help nobody.
        var (filter, asOfError) = await matrices.FilterAsync(plan, kind, period, cols, asOf, Today, defaultOnlyWithResults: true, ct);
        return View("Matrix", new MatrixView(workspace, await matrices.BuildAsync(workspace.Incubator.Id, filter, ct), asOfError));
    }

    [HttpGet("matrix.csv")]
    public Task<IActionResult> ExportCsv(string? plan, string? kind, string? period, string? cols, [FromQuery(Name = "as_of")] string? asOf, CancellationToken ct) =>
        ExportAsync(null, plan, kind, period, cols, asOf, xlsx: false, ct);

    [HttpGet("{id:long}/matrix.csv")]
    public Task<IActionResult> ExportCsv(long id, string? plan, string? kind, string? period, string? cols, [FromQuery(Name = "as_of")] string? asOf, CancellationToken ct) =>
        ExportAsync(id, plan, kind, period, cols, asOf, xlsx: false, ct);

    [HttpGet("matrix.xlsx")]
    public Task<IActionResult> ExportXlsx(string? plan, string? kind, string? period, string? cols, [FromQuery(Name = "as_of")] string? asOf, CancellationToken ct) =>
        ExportAsync(null, plan, kind, period, cols, asOf, xlsx: true, ct);

    [HttpGet("{id:long}/matrix.xlsx")]
    public Task<IActionResult> ExportXlsx(long id, string? plan, string? kind, string? period, string? cols, [FromQuery(Name = "as_of")] string? asOf, CancellationToken ct) =>
        ExportAsync(id, plan, kind, period, cols, asOf, xlsx: true, ct);

    private async Task<IActionResult> ExportAsync(long? id, string? plan, string? kind, string? period, string? cols, string? asOf, bool xlsx, CancellationToken ct)
    {
        if (await ResolveAsync(id, ct) is not { } workspace)
        {
            return NotFound();
        }
        // A download without a filter is the whole catalog; the matrix page's links pass its filter.
        var (filter, _) = await matrices.FilterAsync(plan, kind, period, cols, asOf, Today, defaultOnlyWithResults: false, ct);
        var matrix = await matrices.BuildAsync(workspace.Incubator.Id, filter, ct);
        var name = $"{workspace.Incubator.Name}-{T("政策匹配", "matches")}-{filter.AsOf:yyyy-MM-dd}";
        return xlsx
            ? File(MatrixExport.Xlsx(matrix), MatrixExport.XlsxContentType, name + ".xlsx")
            : File(MatrixExport.Csv(matrix), "text/csv; charset=utf-8", name + ".csv");
    }

    // ---- the per-tenant report ------------------------------------------------------------------

    /// <summary>
    /// A tenant's printable report. The company must be readable by the user — for an advisor that
    /// means a tenant of an incubator they advise (<see cref="CompanyAccess"/> decides, as everywhere).
    /// </summary>
    [HttpGet("tenants/{companyId:long}/report")]
    public async Task<IActionResult> Report(long companyId, [FromQuery(Name = "as_of")] string? asOf, CancellationToken ct)
    {
        if (await access.LevelAsync(User, companyId, ct) < CompanyAccessLevel.Advisor || await companies.FindAsync(companyId, ct) is not { } company)
        {
            return NotFound();
        }
        var date = ProfileValidator.ParseAsOf(asOf, Today, out var asOfError) ?? Today;
        var report = await matching.MatchAsync(company.Profile(), date, ct);
        return View(new ReportView(company, report, asOfError));
    }

    /// <summary>Why a company registered by others cannot be added (see RegisteredElsewhereAsync).</summary>
    private static string RegisteredElsewhereMessage() => T(
        "该企业已由其他用户或孵化器在平台登记。为保护企业数据,孵化器不能凭统一社会信用代码直接关联;征得企业同意后关联的功能尚未提供。",
        "This company is registered on the portal by someone else. To protect its data an incubator cannot take it on by its code; linking with the company's consent is not available yet.");
}
