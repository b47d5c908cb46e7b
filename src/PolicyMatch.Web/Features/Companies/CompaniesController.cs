using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Features.Rematch;
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
    Incubators.TenantLinks links) : Controller
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
            var errors = new Dictionary<string, string> { ["uscc"] = T("该统一社会信用代码已有企业登记,请在“我的企业”页申请加入", "A company with this code exists: ask to join it from My companies") };
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
        var date = ProfileValidator.ParseAsOf(asOf, DateOnly.FromDateTime(clock.GetLocalNow().DateTime), out _) ?? DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var profile = company.Profile();
        var form = ProfileForm.FromProfile(profile);
        form.AsOf = date.ToString("yyyy-MM-dd");
        var report = await matching.MatchAsync(profile, date, ct);
        var requests = level >= CompanyAccessLevel.Owner ? await companies.PendingRequestsAsync(id, ct) : [];
        var linkRequests = level >= CompanyAccessLevel.Owner ? await links.PendingForCompanyAsync(id, ct) : [];
        return View(new CompanyView(company, level, new MatchesView(form, QueryString.Create(form.ToQuery()).ToString(), report), requests) { LinkRequests = linkRequests });
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
        var code = uscc?.Trim().ToUpperInvariant();
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
}
