using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Home;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Infrastructure.Time;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Matching;

/// <summary>The what-if form: the profile as judged, and the result it is compared with.</summary>
public sealed record WhatIfView(ProfileFormView Profile, string Was, long? CompanyId, string Today, string? WasError);

/// <summary>
/// The quick check (政策计算器): a GET form, so a result is a link that can be bookmarked, shared or
/// changed one fact at a time (what-if), and nothing is stored. A company's what-if carries
/// <c>company</c>, so its members can save the changed profile.
/// </summary>
public sealed class MatchingController(
    ProfileValidator validator, MatchService matching, HomePage home, CatalogCache catalog, NoticeLinks notices,
    CompanyRepository companies, CompanyAccess access, Microsoft.Extensions.Options.IOptions<PortalOptions> portal, TimeProvider clock) : Controller
{
    [HttpGet("/check")]
    public async Task<IActionResult> Check([FromQuery] ProfileForm form, [FromQuery] string? was, [FromQuery] string? company, CancellationToken ct)
    {
        if (form.IsEmpty)
        {
            return Redirect("/#check");
        }
        var companyId = await CompanyAsync(company, ct);
        if (companyId is -1)
        {
            return NotFound();
        }
        var today = BeijingTime.Today(clock);
        var check = validator.FromForm(form, requireIdentity: false);
        var asOf = ProfileValidator.ParseAsOf(form.AsOf, today, out var asOfError);
        if (!check.IsValid || asOf is null)
        {
            var errors = new Dictionary<string, string>(check.Errors);
            if (asOfError is not null) errors["as_of"] = asOfError;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            // A what-if goes back to the what-if form (it keeps the result it compares with); a quick check to the home page.
            return was is null && companyId is null
                ? View("HomePage", await home.BuildAsync(new ProfileFormView(form, errors), ct))
                : View("WhatIf", new WhatIfView(new ProfileFormView(form, errors), was ?? "", companyId, Wording(today), null));
        }

        var report = await matching.MatchAsync(check.Profile, asOf.Value, ct);
        // The result this what-if started from: a link anyone can edit, so it is validated like the profile.
        MatchDiff? diff = null;
        if (!string.IsNullOrEmpty(was))
        {
            var baseForm = was.Length > 8000 ? null : ProfileQuery.Parse(was);
            var baseCheck = baseForm is null ? null : validator.FromForm(baseForm, requireIdentity: false);
            var baseAsOf = baseForm is null ? null : ProfileValidator.ParseAsOf(baseForm.AsOf, today, out _);
            if (baseCheck is not { IsValid: true } || baseAsOf is null || baseForm!.IsEmpty)
            {
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return View("WhatIf", new WhatIfView(new ProfileFormView(form, new Dictionary<string, string>()), "", companyId, Wording(today),
                    T("无法与原结果比较:链接中的原企业信息无效或已被改动。可以直接查看新结果,或从匹配结果页重新开始。",
                      "Cannot compare with the earlier result: the link's earlier profile is not valid or was altered. See the new result alone, or start again from a matches page.")));
            }
            var before = await matching.MatchAsync(baseCheck.Profile, asOf.Value, ct);
            diff = MatchDiff.Between(baseForm, before, form, report, "/check?" + was.TrimStart('?'));
        }

        var published = await catalog.GetPublishedAsync(ct);
        var filters = MatchFilters.Parse(Request.Query["kind"], Request.Query["dept"], Request.Query["status"], published);
        if (filters.Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        var view = new MatchesView(form, QueryString.Create(form.ToQuery()).ToString(), report)
        {
            CompanyId = companyId,
            CanSave = companyId is { } id && diff is not null && await access.CanEditAsync(User, id, ct),
            Filters = filters,
            Diff = diff,
        };
        return View("Matches", await notices.AddToAsync(view, check.Profile, ct));
    }

    /// <summary>The what-if form, filled with every fact of the result it comes from.</summary>
    [HttpGet("/check/edit")]
    public async Task<IActionResult> Edit([FromQuery] ProfileForm form, [FromQuery] string? company, CancellationToken ct)
    {
        var companyId = await CompanyAsync(company, ct);
        if (companyId is -1)
        {
            return NotFound();
        }
        var today = BeijingTime.Today(clock);
        if (form.IsEmpty)
        {
            return Redirect("/#check");
        }
        // The comparison is with the result as it was shown: the same facts, the same date.
        var was = QueryString.Create(form.ToQuery()).ToString().TrimStart('?');
        return View("WhatIf", new WhatIfView(new ProfileFormView(form, new Dictionary<string, string>()), was, companyId, Wording(today), null));
    }

    /// <summary>An .ics calendar of the deadlines of the measures a profile is eligible for now.</summary>
    [HttpGet("/check/calendar.ics")]
    public async Task<IActionResult> Calendar([FromQuery] ProfileForm form, CancellationToken ct)
    {
        var today = BeijingTime.Today(clock);
        var check = validator.FromForm(form, requireIdentity: false);
        var asOf = ProfileValidator.ParseAsOf(form.AsOf, today, out var asOfError);
        if (form.IsEmpty || !check.IsValid || asOf is null)
        {
            var errors = new Dictionary<string, string>(check.Errors);
            if (asOfError is not null) errors["as_of"] = asOfError;
            if (form.IsEmpty) errors["district"] = T("请先填写企业信息", "Fill in the profile first");
            return UnprocessableEntity(string.Join("\n", errors.Select(e => $"{FactLabels.Of(e.Key)}: {e.Value}")));
        }
        var report = await matching.MatchAsync(check.Profile, asOf.Value, ct);
        return File(DeadlineCalendar.Build(report, await notices.AllAsync(ct), clock.GetUtcNow(), T("惠企政策匹配:申报与截止日期", "PolicyMatch: deadlines"), portal.Value.Url),
            "text/calendar; charset=utf-8", "policymatch-deadlines.ics");
    }

    /// <summary>The same calendar for a company's saved profile: only for those who may read the company.</summary>
    [Authorize(Roles = Roles.Company + "," + Roles.Admin + "," + Roles.Advisor)]
    [HttpGet("/companies/{id:long}/calendar.ics")]
    public async Task<IActionResult> CompanyCalendar(long id, string? asOf, CancellationToken ct)
    {
        var company = await access.CanReadAsync(User, id, ct) ? await companies.FindAsync(id, ct) : null;
        if (company is null)
        {
            return NotFound();
        }
        var today = BeijingTime.Today(clock);
        var date = ProfileValidator.ParseAsOf(asOf, today, out var error);
        if (date is null)
        {
            return UnprocessableEntity($"{FactLabels.Of("as_of")}: {error}");
        }
        var report = await matching.MatchAsync(company.Profile(), date.Value, ct);
        return File(DeadlineCalendar.Build(report, await notices.AllAsync(ct), clock.GetUtcNow(), $"{company.Name}:" + T("申报与截止日期", "deadlines"), portal.Value.Url),
            "text/calendar; charset=utf-8", $"company-{id}-deadlines.ics");
    }

    /// <summary>null without a company; the id of a company the user may read; -1 for any other value.</summary>
    private async Task<long?> CompanyAsync(string? company, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(company))
        {
            return null;
        }
        return long.TryParse(company, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            && await access.CanReadAsync(User, id, ct) ? id : -1;
    }

    private static string Wording(DateOnly d) => Components.Wording.Date(d);
}
