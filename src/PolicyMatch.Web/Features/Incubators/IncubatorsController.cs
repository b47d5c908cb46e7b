using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Infrastructure.Time;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Incubators;

/// <summary>Where the pages of one incubator live: /incubator for its advisor, /incubator/{id} for an administrator.</summary>
public sealed record Workspace(IncubatorRow Incubator, string BasePath, bool CanEdit);

public sealed record IncubatorView(Workspace Workspace, TenantMatrix Matrix)
{
    /// <summary>The incubator's requests to link registered companies (its advisor's view only).</summary>
    public IReadOnlyList<LinkRequestRow> LinkRequests { get; init; } = [];
}

public sealed record IncubatorListView(IReadOnlyList<IncubatorSummaryRow> Incubators);

public sealed record NewTenantView(Workspace Workspace, ProfileFormView Profile);

public sealed record RemoveTenantView(Workspace Workspace, TenantRow Tenant);

public sealed record ImportView(Workspace Workspace, TenantCsvResult? Result, string? FileName)
{
    /// <summary>An import that changes existing companies, shown before it is applied.</summary>
    public ImportPreview? Preview { get; init; }
}

/// <summary>What the advisor confirms: the plan, and the draft that holds the file meanwhile.</summary>
public sealed record ImportPreview(long DraftId, TenantImportPlan Plan, bool ChangedSinceShown);

public sealed record EditTenantView(Workspace Workspace, TenantRow Tenant, ProfileFormView Profile);

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
    TenantCsv csv, TenantMatrixBuilder matrices, MatchService matching, Rematch.RematchService rematch, TimeProvider clock,
    TenantLinks links, TenantImports imports, VerificationRepository verifications) : Controller
{
    private DateOnly Today => BeijingTime.Today(clock);

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

    /// <summary>
    /// An unverified incubator cannot add tenants (nor link or update them by import): anyone can name
    /// an incubator when registering, so its advisors see companies' data only once an administrator
    /// has checked its evidence. The page says so and links to the upload.
    /// </summary>
    private IActionResult Unverified(Workspace workspace)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View("Unverified", workspace);
    }

    // ---- verification ---------------------------------------------------------------------------

    [HttpGet("verification")]
    public async Task<IActionResult> Verification(CancellationToken ct)
    {
        if (await ResolveAsync(null, ct) is not { } workspace)
        {
            return NotFound();
        }
        return View("CompanyVerification", await VerificationViewAsync(workspace, null, ct));
    }

    private async Task<VerificationView> VerificationViewAsync(Workspace workspace, string? error, CancellationToken ct) =>
        new(workspace.Incubator.Name, "/incubator/verification", workspace.Incubator.Verified,
            await verifications.LatestAsync(null, workspace.Incubator.Id, User.Id(), ct), error, "/incubator");

    [HttpPost("verification")]
    [RequestSizeLimit(EvidenceFiles.MaxBytes + 64 * 1024)]
    [RequestFormLimits(MultipartBodyLengthLimit = EvidenceFiles.MaxBytes + 64 * 1024)]
    public async Task<IActionResult> SubmitVerification(IFormFile? file, CancellationToken ct)
    {
        if (await ResolveAsync(null, ct) is not { } workspace)
        {
            return NotFound();
        }
        if (workspace.Incubator.Verified)
        {
            return Redirect("/incubator");
        }
        var (evidence, error) = await EvidenceFiles.ReadAsync(file, ct);
        if (evidence is not null && await verifications.SubmitAsync(VerificationKinds.Verify, null, workspace.Incubator.Id, User.Id(), "", evidence, ct) is null)
        {
            error = T("已有一份待审核的材料,请等待管理员审核。", "A submission is waiting for review already.");
        }
        if (error is not null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("CompanyVerification", await VerificationViewAsync(workspace, error, ct));
        }
        TempData["Flash"] = T("材料已提交,管理员审核后会通知您。", "Submitted: you will be told once an administrator has checked it.");
        return Redirect("/incubator");
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
        return View("Index", new IncubatorView(workspace, await matrices.BuildAsync(workspace.Incubator.Id, filter, ct))
        {
            LinkRequests = workspace.CanEdit ? await links.OfIncubatorAsync(workspace.Incubator.Id, ct) : [],
        });
    }

    // ---- adding a tenant by form ----------------------------------------------------------------

    [HttpGet("tenants/new")]
    public async Task<IActionResult> NewTenant(CancellationToken ct) =>
        await ResolveAsync(null, ct) is not { } workspace ? NotFound()
        : !workspace.Incubator.Verified ? Unverified(workspace)
        : View(new NewTenantView(workspace, ProfileFormView.Empty()));

    [HttpPost("tenants/new")]
    public async Task<IActionResult> NewTenant([FromForm] ProfileForm form, CancellationToken ct)
    {
        if (await ResolveAsync(null, ct) is not { } workspace)
        {
            return NotFound();
        }
        if (!workspace.Incubator.Verified)
        {
            return Unverified(workspace);
        }
        var check = validator.FromForm(form, requireIdentity: true);
        if (!check.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(new NewTenantView(workspace, new ProfileFormView(form, check.Errors)));
        }
        var profile = check.Profile;
        var uscc = profile["uscc"]!.GetValue<string>();
        if ((await incubators.RegisteredElsewhereAsync(workspace.Incubator.Id, [uscc], ct)).Count > 0)
        {
            // Registered by someone else: ask its owner. Nothing of the company is shown until they agree.
            var company = (await companies.FindByUsccAsync(uscc, ct))!;
            var requested = await links.RequestAsync(workspace.Incubator.Id, company.Id, uscc, profile["name"]!.GetValue<string>(), User.Id(), ct);
            TempData["Flash"] = requested is null
                ? T("已向该企业发出过关联请求,正在等待企业答复。", "A request to link this company is waiting for its answer already.")
                : T("该企业已在平台登记。已向企业发出关联请求:企业同意后,它将列入在孵企业。", "This company is registered on the portal: a request to link it has been sent; it becomes a tenant once the company agrees.");
            return Redirect("/incubator");
        }
        // The incubator is adding it, so it is an incubator tenant unless the form says otherwise.
        profile["incubator_tenant"] ??= true;
        var added = (await incubators.AddTenantsAsync(workspace.Incubator.Id, [profile], User.Id(), Admin.AuditAction.TenantAdded, ct)).Single();
        await RefreshMatchesAsync([added], ct);
        TempData["Flash"] = added.Outcome switch
        {
            TenantAddOutcome.Created => T($"已添加在孵企业“{added.Name}”。", $"{added.Name} is added as a tenant."),
            TenantAddOutcome.LinkRequested => T("该企业刚由他人在平台登记。已向企业发出关联请求:企业同意后,它将列入在孵企业。", "Someone registered this company on the portal a moment ago: a request to link it has been sent; it becomes a tenant once the company agrees."),
            TenantAddOutcome.LinkAlreadyRequested => T("已向该企业发出过关联请求,正在等待企业答复。", "A request to link this company is waiting for its answer already."),
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
        await ResolveAsync(null, ct) is not { } workspace ? NotFound()
        : !workspace.Incubator.Verified ? Unverified(workspace)
        : View(new ImportView(workspace, null, null));

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
        if (!workspace.Incubator.Verified)
        {
            return Unverified(workspace);
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

        var plan = await imports.PlanAsync(workspace.Incubator.Id, result.Tenants, ct);
        if (!plan.TouchesOnlyNew)
        {
            // Existing companies would change (or be asked): show what, and apply only on confirmation.
            using var content = new MemoryStream();
            await file!.CopyToAsync(content, ct);
            var draft = await imports.SaveDraftAsync(workspace.Incubator.Id, User.Id(), Path.GetFileName(file.FileName), content.ToArray(), plan.Fingerprint, ct);
            return View(new ImportView(workspace, result, file.FileName) { Preview = new ImportPreview(draft, plan, ChangedSinceShown: false) });
        }
        return await ApplyImportAsync(workspace, result, null, ct);
    }

    /// <summary>
    /// Applies a previewed import. The file is read and planned again; if what it would do is no longer
    /// what was shown (someone changed a tenant meanwhile), the new preview is shown instead.
    /// A draft of another advisor or incubator, or an expired one, is a 404.
    /// </summary>
    [HttpPost("import/{draftId:long}/confirm")]
    public async Task<IActionResult> ConfirmImport(long draftId, [FromForm] string? fingerprint, CancellationToken ct)
    {
        if (await ResolveAsync(null, ct) is not { } workspace || await imports.FindDraftAsync(draftId, workspace.Incubator.Id, User.Id(), ct) is not { } draft)
        {
            return NotFound();
        }
        if (!workspace.Incubator.Verified)
        {
            return Unverified(workspace);
        }
        var result = csv.Read(draft.Content);
        if (!result.IsValid)
        {
            // Cannot happen for a file that passed (the rules are the same); said plainly if it does.
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Import", new ImportView(workspace, result, draft.FileName));
        }
        var plan = await imports.PlanAsync(workspace.Incubator.Id, result.Tenants, ct);
        if (plan.Fingerprint != fingerprint)
        {
            await imports.UpdateDraftFingerprintAsync(draft.Id, plan.Fingerprint, ct);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View("Import", new ImportView(workspace, result, draft.FileName) { Preview = new ImportPreview(draft.Id, plan, ChangedSinceShown: true) });
        }
        return await ApplyImportAsync(workspace, result, draft.Id, ct);
    }

    private async Task<IActionResult> ApplyImportAsync(Workspace workspace, TenantCsvResult result, long? draftId, CancellationToken ct)
    {
        var outcome = await imports.ApplyAsync(workspace.Incubator.Id, result.Tenants, User.Id(), draftId, ct);
        foreach (var company in outcome.Created.Concat(outcome.Updated))
        {
            await rematch.RefreshCompanyAsync(company, ct: ct);
        }
        var total = outcome.Created.Count + outcome.Updated.Count + outcome.Unchanged;
        var parts = new List<string> { T($"新建 {outcome.Created.Count} 家", $"{outcome.Created.Count} new") };
        if (outcome.Updated.Count > 0) parts.Add(T($"更新 {outcome.Updated.Count} 家", $"{outcome.Updated.Count} updated"));
        parts.Add(T($"已是在孵企业且无变化 {outcome.Unchanged} 家", $"{outcome.Unchanged} already tenants, unchanged"));
        if (outcome.Requested > 0) parts.Add(T($"已向 {outcome.Requested} 家已登记企业发出关联请求(企业同意后列入)", $"link requests sent to {outcome.Requested} registered companies (listed once they agree)"));
        if (outcome.AlreadyRequested > 0) parts.Add(T($"{outcome.AlreadyRequested} 家的关联请求仍在等待答复", $"{outcome.AlreadyRequested} requests still awaiting an answer"));
        TempData["Flash"] = T($"已导入 {total} 家企业:{string.Join(",", parts)}。", $"Imported {total} companies: {string.Join(", ", parts)}.");
        if (Request.Headers.XRequestedWith == "XMLHttpRequest")
        {
            return Json(new { redirect = "/incubator" });
        }
        return Redirect("/incubator");
    }

    // ---- keeping a tenant's profile current -----------------------------------------------------

    /// <summary>
    /// An advisor updates a tenant's profile: one the incubator added, or that agreed to be linked
    /// (every tenancy is one or the other). The profile history names the advisor.
    /// </summary>
    [HttpGet("tenants/{companyId:long}/profile")]
    public async Task<IActionResult> EditTenant(long companyId, CancellationToken ct)
    {
        if (await ResolveAsync(null, ct) is not { } workspace || await incubators.TenantAsync(workspace.Incubator.Id, companyId, ct) is not { } tenant)
        {
            return NotFound();
        }
        return View(new EditTenantView(workspace, tenant, new ProfileFormView(ProfileForm.FromProfile(tenant.Profile()), new Dictionary<string, string>())));
    }

    [HttpPost("tenants/{companyId:long}/profile")]
    public async Task<IActionResult> EditTenant(long companyId, [FromForm] ProfileForm form, CancellationToken ct)
    {
        if (await ResolveAsync(null, ct) is not { } workspace || await incubators.TenantAsync(workspace.Incubator.Id, companyId, ct) is not { } tenant)
        {
            return NotFound();
        }
        var check = validator.FromForm(form, requireIdentity: true);
        if (check.IsValid && check.Profile["uscc"]!.GetValue<string>() != tenant.Uscc)
        {
            check = check with { Errors = new Dictionary<string, string> { ["uscc"] = T("统一社会信用代码不能修改", "The unified social credit code cannot be changed") } };
        }
        if (!check.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(new EditTenantView(workspace, tenant, new ProfileFormView(form, check.Errors)));
        }
        var changed = await companies.UpdateProfileAsync(companyId, check.Profile, User.Id(), ct);
        if (changed.Count > 0)
        {
            await rematch.RefreshCompanyAsync(companyId, ct: ct);
        }
        TempData["Flash"] = changed.Count == 0
            ? T("没有修改", "Nothing changed")
            : T($"已更新“{check.Profile["name"]}”:{string.Join("、", changed.Select(FactLabels.Of))}", $"{check.Profile["name"]} updated: {string.Join(", ", changed.Select(FactLabels.Of))}");
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
}
