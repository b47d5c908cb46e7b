using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Features.Rematch;
using PolicyMatch.Web.Infrastructure.Time;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Companies;

public sealed record CompanyListView(IReadOnlyList<CompanyRow> Companies, IReadOnlyList<JoinRequestRow> Requests, string? JoinError, string? JoinUscc)
{
    /// <summary>Incubators asking to link one of the user's companies (owners only).</summary>
    public IReadOnlyList<Incubators.LinkRequestForCompany> LinkRequests { get; init; } = [];
}

public sealed record CompanyView(CompanyRow Company, CompanyAccessLevel Access, MatchesView Matches, IReadOnlyList<JoinRequestRow> Requests)
{
    public IReadOnlyList<Incubators.LinkRequestForCompany> LinkRequests { get; init; } = [];
}

/// <summary>The owner's verification page: the company (or incubator), its state, the newest request and an error to show.</summary>
public sealed record VerificationView(string SubjectName, string Action, bool Verified, VerificationRow? Latest, string? Error, string BackLink);

/// <summary>Claiming a registered company: the code, the statement, an error.</summary>
public sealed record ClaimView(string? Uscc, string? Statement, IReadOnlyDictionary<string, string> Errors);

public sealed record CompanyEditView(long? CompanyId, ProfileFormView Profile, string? Notice);

public sealed record HistoryView(CompanyRow Company, IReadOnlyList<ProfileChange> Changes);

/// <summary>
/// A company user's workspace: their companies, each company's profile (edited with history) and
/// matches, and joining a company by its USCC. Every action checks <see cref="CompanyAccess"/>;
/// a company the user may not see is a 404.
/// </summary>
[Authorize(Roles = Roles.Company + "," + Roles.Admin)]
[Route("companies")]
public sealed class CompaniesController(
    CompanyRepository companies, CompanyAccess access, ProfileValidator validator, MatchService matching, RematchService rematch, TimeProvider clock,
    Incubators.TenantLinks links, VerificationRepository verifications, NoticeLinks noticeLinks) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await ListAsync(null, null, ct));

    private async Task<CompanyListView> ListAsync(string? joinError, string? joinUscc, CancellationToken ct)
    {
        var mine = await companies.OfMemberAsync(User.Id(), ct);
        var requests = new List<JoinRequestRow>();
        var linkRequests = new List<Incubators.LinkRequestForCompany>();
        foreach (var c in mine)
        {
            if (await access.CanManageMembersAsync(User, c.Id, ct))
            {
                requests.AddRange(await companies.PendingRequestsAsync(c.Id, ct));
                linkRequests.AddRange(await links.PendingForCompanyAsync(c.Id, ct));
            }
        }
        return new CompanyListView(mine, requests, joinError, joinUscc) { LinkRequests = linkRequests };
    }

    [HttpGet("new")]
    public IActionResult New() => View("Edit", new CompanyEditView(null, ProfileFormView.Empty(), null));

    [HttpPost("new")]
    public async Task<IActionResult> Create([FromForm] ProfileForm form, CancellationToken ct)
    {
        var check = validator.FromForm(form, requireIdentity: true);
        if (!check.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Edit", new CompanyEditView(null, new ProfileFormView(form, check.Errors), null));
        }
        var id = await companies.CreateAsync(check.Profile, User.Id(), ct);
        if (id is null)
        {
            var errors = new Dictionary<string, string> { ["uscc"] = T("该统一社会信用代码已有企业登记,请在“我的企业”页申请加入;如登记人与贵企业无关,可在“我的企业”页提交营业执照认领", "A company with this code exists: ask to join it from My companies, or, if whoever registered it has nothing to do with your company, claim it there with the business licence") };
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View("Edit", new CompanyEditView(null, new ProfileFormView(form, errors), null));
        }
        // The stored matches follow the profile at once (lists of eligible companies read them).
        await rematch.RefreshCompanyAsync(id.Value, ct: ct);
        return Redirect($"/companies/{id}");
    }

    [HttpGet("{id:long}")]
    public async Task<IActionResult> Show(long id, string? asOf, CancellationToken ct)
    {
        var level = await access.LevelAsync(User, id, ct);
        var company = level == CompanyAccessLevel.None ? null : await companies.FindAsync(id, ct);
        if (company is null)
        {
            return NotFound();
        }
        var today = BeijingTime.Today(clock);
        var date = ProfileValidator.ParseAsOf(asOf, today, out _) ?? today;
        var profile = company.Profile();
        var form = ProfileForm.FromProfile(profile);
        form.AsOf = date.ToString("yyyy-MM-dd");
        var report = await matching.MatchAsync(profile, date, ct);
        var requests = level >= CompanyAccessLevel.Owner ? await companies.PendingRequestsAsync(id, ct) : [];
        var linkRequests = level >= CompanyAccessLevel.Owner ? await links.PendingForCompanyAsync(id, ct) : [];
        var matches = await noticeLinks.AddToAsync(new MatchesView(form, QueryString.Create(form.ToQuery()).ToString(), report)
        {
            CompanyId = id,
            SavedAt = BeijingTime.Show(company.UpdatedAt),
        }, profile, ct);
        return View(new CompanyView(company, level, matches, requests) { LinkRequests = linkRequests });
    }

    [HttpGet("{id:long}/profile")]
    public async Task<IActionResult> Edit(long id, CancellationToken ct)
    {
        var company = await companies.FindAsync(id, ct);
        if (company is null || !await access.CanEditAsync(User, id, ct))
        {
            return NotFound();
        }
        return View(new CompanyEditView(id, new ProfileFormView(ProfileForm.FromProfile(company.Profile()), new Dictionary<string, string>()), null));
    }

    [HttpPost("{id:long}/profile")]
    public async Task<IActionResult> Update(long id, [FromForm] ProfileForm form, CancellationToken ct)
    {
        var company = await companies.FindAsync(id, ct);
        if (company is null || !await access.CanEditAsync(User, id, ct))
        {
            return NotFound();
        }
        var check = validator.FromForm(form, requireIdentity: true);
        if (check.IsValid && check.Profile["uscc"]!.GetValue<string>() != company.Uscc)
        {
            check = check with { Errors = new Dictionary<string, string> { ["uscc"] = T("统一社会信用代码不能修改", "The unified social credit code cannot be changed") } };
        }
        if (!check.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Edit", new CompanyEditView(id, new ProfileFormView(form, check.Errors), null));
        }
        var changed = await companies.UpdateProfileAsync(id, check.Profile, User.Id(), ct);
        if (changed.Count > 0)
        {
            await rematch.RefreshCompanyAsync(id, ct: ct);
        }
        TempData["Flash"] = changed.Count == 0
            ? T("没有修改", "Nothing changed")
            : T($"已保存:{string.Join("、", changed.Select(FactLabels.Of))}", $"Saved: {string.Join(", ", changed.Select(FactLabels.Of))}");
        return Redirect($"/companies/{id}");
    }

    [HttpGet("{id:long}/history")]
    public async Task<IActionResult> History(long id, CancellationToken ct)
    {
        var company = await companies.FindAsync(id, ct);
        if (company is null || !await access.CanReadAsync(User, id, ct))
        {
            return NotFound();
        }
        return View(new HistoryView(company, await companies.HistoryAsync(id, ct)));
    }

    /// <summary>Asks to join a company by its USCC; its owner decides.</summary>
    [HttpPost("join")]
    public async Task<IActionResult> Join([FromForm] string? uscc, CancellationToken ct)
    {
        var code = Uscc.Normalise(uscc);
        string? error = null;
        if (!Uscc.IsValid(code))
        {
            error = T("统一社会信用代码不正确", "That unified social credit code is not valid");
        }
        else if (await companies.FindByUsccAsync(code!, ct) is not { } company)
        {
            error = T("没有以该代码登记的企业,可以直接新建", "No company is registered with that code: create it instead");
        }
        else if (!await companies.RequestToJoinAsync(company.Id, User.Id(), ct))
        {
            error = T("您已是该企业成员,或已有待审批的申请", "You are a member already, or a request is pending");
        }
        if (error is not null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await ListAsync(error, uscc, ct));
        }
        TempData["Flash"] = T("已提交加入申请,等待企业管理员审批", "Request sent: the company's owner will decide");
        return Redirect("/companies");
    }

    [HttpPost("{id:long}/requests/{requestId:long}/{decision:regex(^(approve|reject)$)}")]
    public async Task<IActionResult> Decide(long id, long requestId, string decision, CancellationToken ct)
    {
        if (!await access.CanManageMembersAsync(User, id, ct) || !await companies.DecideAsync(id, requestId, decision == "approve", User.Id(), ct))
        {
            return NotFound();
        }
        TempData["Flash"] = decision == "approve" ? T("已批准", "Approved") : T("已拒绝", "Rejected");
        return Redirect($"/companies/{id}");
    }

    /// <summary>
    /// An owner's answer to an incubator's request to link the company. Someone else's request id,
    /// a decided one or a company the user does not own: 404.
    /// </summary>
    [HttpPost("{id:long}/links/{requestId:long}/{decision:regex(^(approve|decline)$)}")]
    public async Task<IActionResult> DecideLink(long id, long requestId, string decision, CancellationToken ct)
    {
        if (!await access.CanManageMembersAsync(User, id, ct) || !await links.DecideAsync(id, requestId, decision == "approve", User.Id(), ct))
        {
            return NotFound();
        }
        TempData["Flash"] = decision == "approve"
            ? T("已同意关联:该孵化器的顾问现在可以查看并更新企业画像。", "Linked: the incubator's advisors can now see and update the profile.")
            : T("已拒绝关联请求。", "The request is declined.");
        return Redirect($"/companies/{id}");
    }

    // ---- verified ownership ---------------------------------------------------------------------

    /// <summary>The owner uploads the business licence; an administrator checks it.</summary>
    [HttpGet("{id:long}/verification")]
    public async Task<IActionResult> Verification(long id, CancellationToken ct)
    {
        if (!await access.CanManageMembersAsync(User, id, ct) || await companies.FindAsync(id, ct) is not { } company)
        {
            return NotFound();
        }
        return View("CompanyVerification", await VerificationViewAsync(company, null, ct));
    }

    private async Task<VerificationView> VerificationViewAsync(CompanyRow company, string? error, CancellationToken ct) =>
        new(company.Name, $"/companies/{company.Id}/verification", company.Verified, await verifications.LatestAsync(company.Id, null, User.Id(), ct), error, $"/companies/{company.Id}");

    [HttpPost("{id:long}/verification")]
    [RequestSizeLimit(EvidenceFiles.MaxBytes + 64 * 1024)]
    [RequestFormLimits(MultipartBodyLengthLimit = EvidenceFiles.MaxBytes + 64 * 1024)]
    public async Task<IActionResult> SubmitVerification(long id, IFormFile? file, CancellationToken ct)
    {
        if (!await access.CanManageMembersAsync(User, id, ct) || await companies.FindAsync(id, ct) is not { } company)
        {
            return NotFound();
        }
        if (company.Verified)
        {
            TempData["Flash"] = T("该企业已通过核验。", "The company is verified already.");
            return Redirect($"/companies/{id}");
        }
        var (evidence, error) = await EvidenceFiles.ReadAsync(file, ct);
        if (evidence is not null && await verifications.SubmitAsync(VerificationKinds.Verify, id, null, User.Id(), "", evidence, ct) is null)
        {
            error = T("已有一份待审核的材料,请等待管理员审核。", "A submission is waiting for review already.");
        }
        if (error is not null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("CompanyVerification", await VerificationViewAsync(company, error, ct));
        }
        TempData["Flash"] = T("材料已提交,管理员审核后会通知您。审核期间匹配结果照常可用。", "Submitted: you will be told once an administrator has checked it. Matches work as usual meanwhile.");
        return Redirect($"/companies/{id}");
    }

    /// <summary>
    /// Someone who is not a member claims a registered company with the business licence: a dispute
    /// an administrator resolves (and may transfer the company). Nothing of the company is shown.
    /// </summary>
    [HttpGet("claim")]
    public IActionResult Claim(string? uscc) => View(new ClaimView(uscc, null, new Dictionary<string, string>()));

    [HttpPost("claim")]
    [RequestSizeLimit(EvidenceFiles.MaxBytes + 64 * 1024)]
    [RequestFormLimits(MultipartBodyLengthLimit = EvidenceFiles.MaxBytes + 64 * 1024)]
    public async Task<IActionResult> Claim([FromForm] string? uscc, [FromForm] string? statement, IFormFile? file, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var code = Uscc.Normalise(uscc);
        CompanyRow? company = null;
        if (!Uscc.IsValid(code))
        {
            errors["uscc"] = T("统一社会信用代码不正确", "That unified social credit code is not valid");
        }
        else if ((company = await companies.FindByUsccAsync(code!, ct)) is null)
        {
            errors["uscc"] = T("没有以该代码登记的企业,可以直接新建", "No company is registered with that code: create it instead");
        }
        else if (await companies.RoleOfAsync(company.Id, User.Id(), ct) is not null)
        {
            errors["uscc"] = T("您已是该企业的成员", "You are a member of this company already");
        }
        if (string.IsNullOrWhiteSpace(statement) || statement.Trim().Length > 1000)
        {
            errors["statement"] = T("请说明您与该企业的关系(1000 字以内)", "Say how you are related to the company (1,000 characters at most)");
        }
        var (evidence, fileError) = await EvidenceFiles.ReadAsync(file, ct);
        if (fileError is not null)
        {
            errors["file"] = fileError;
        }
        if (errors.Count == 0 && await verifications.SubmitAsync(VerificationKinds.Dispute, company!.Id, null, User.Id(), statement!, evidence!, ct) is null)
        {
            errors["uscc"] = T("您对该企业的认领正在审核中", "Your claim on this company is under review already");
        }
        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(new ClaimView(uscc, statement, errors));
        }
        TempData["Flash"] = T("认领申请已提交。管理员核对材料后会通知您结果。", "Your claim is submitted. An administrator will check the evidence and tell you the outcome.");
        return Redirect("/companies");
    }
}
