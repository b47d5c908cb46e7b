using PolicyMatch.Web.Infrastructure.Time;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Admin;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Features.Shared;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Authoring;

/// <summary>
/// Administrators write measures: drafts with the criteria builder (or JSON), try them on a sample
/// profile, preview their impact on every company, publish or retire them, and read every version's diff.
/// </summary>
[Authorize(Roles = Roles.Admin)]
[Route("admin/measures")]
public sealed class AuthoringController(
    AuthoringService authoring, CatalogRepository catalog, ImpactPreview impact, ProfileValidator profiles, AuditLog audit, TimeProvider clock)
    : Controller
{
    private DateOnly Today => BeijingTime.Today(clock);

    private Actor Actor => new(User.Id(), User.FindFirstValue(ClaimTypes.Email) ?? $"user:{User.Id()}");

    /// <summary>The catalog by status is the admin home page.</summary>
    [HttpGet("")]
    public IActionResult Index() => Redirect("/admin#overview");

    // ---- the editor ------------------------------------------------------------------------------

    /// <summary>
    /// A new measure: blank, or (document, clause, sentence) the suggester's draft for that sentence of
    /// a document's clause, for the administrator to accept, edit or discard condition by condition.
    /// </summary>
    [HttpGet("new")]
    public async Task<IActionResult> New(string? document, string? clause, int? sentence, CancellationToken ct)
    {
        var form = new MeasureForm { Criteria = [new CriterionForm { Builder = new GroupForm { Items = [new NodeForm()] } }] };
        string? flash = null;
        if (document is not null && clause is not null && sentence is { } n)
        {
            if (await catalog.GetPlanAsync(document, ct) is not { } plan
                || (await catalog.GetClausesAsync(plan.Id, ct)).FirstOrDefault(c => c.Ref == clause) is not { } row
                || Documents.Suggester.ForText(row.Ref, row.Text, plan.Regions) is not { } suggestions || n < 0 || n >= suggestions.Count)
            {
                return NotFound();
            }
            var clauses = await catalog.GetClausesAsync(plan.Id, ct);
            form = SuggestedDraft.Form(plan, row, suggestions[n], await catalog.GetAllMeasureIdsAsync(ct),
                Documents.Suggester.DocumentWindows(clauses.Select(c => (c.Ref, c.Text))));
            flash = T("以下内容由系统根据所选句子建议,请核对每项条件(备注中注明了出处),修改或删除后保存为草稿。",
                "Suggested from the chosen sentence: check each condition (the notes say where each came from), edit or remove it, then save as a draft.");
        }
        return await EditorAsync(form, null, new FormErrors(), new ProfileForm(), null, flash, ct);
    }

    [HttpPost("new")]
    public Task<IActionResult> New([Bind(Prefix = MeasureForm.Prefix)] MeasureForm m, ProfileForm sample, string? command, CancellationToken ct) =>
        PostAsync(null, m, sample, command, ct);

    [HttpGet("{id}/edit")]
    public async Task<IActionResult> Edit(string id, long? saved, bool unchanged, CancellationToken ct)
    {
        if (await catalog.GetMeasureStateAsync(id, ct) is not { } state)
        {
            return NotFound();
        }
        var row = (await catalog.GetMeasureAsync(id, (int)state.CurrentVersion, ct))!;
        var form = MeasureEditor.FromDocument(row.ToDocument(), row.PlanId, state.CurrentVersion);
        // An incomplete draft shows what it still lacks next to each field, until it is complete.
        var (_, pending) = await authoring.ValidateAsync(form, ct);
        var flash = saved is { } v ? T($"已保存为草稿(第 {v} 版)。公开的版本不变,发布后才生效。", $"Saved as a draft (version {v}). The public version is unchanged until you publish.")
            : unchanged ? T("没有改动,未保存新版本。", "Nothing changed, so no new version was saved.")
            : null;
        return await EditorAsync(form, state, pending, new ProfileForm(), null, flash, ct, incomplete: pending.Count > 0);
    }

    [HttpPost("{id}/edit")]
    public Task<IActionResult> Edit(string id, [Bind(Prefix = MeasureForm.Prefix)] MeasureForm m, ProfileForm sample, string? command, CancellationToken ct) =>
        PostAsync(id, m, sample, command, ct);

    /// <summary>
    /// Every button of the editor posts the whole form: "save" saves a draft; "try" evaluates the criteria
    /// as typed against the sample profile; the builder's buttons change the form and show it again.
    /// </summary>
    private async Task<IActionResult> PostAsync(string? id, MeasureForm m, ProfileForm sample, string? command, CancellationToken ct)
    {
        MeasureState? state = null;
        if (id is not null)
        {
            state = await catalog.GetMeasureStateAsync(id, ct);
            if (state is null)
            {
                return NotFound();
            }
            // The id and the plan are fixed once a measure exists (versions do not carry the plan).
            m.Id = state.Id;
            m.Plan = state.PlanId;
        }
        switch (command ?? "save")
        {
            case "save":
                var result = await authoring.SaveDraftAsync(m, isNew: id is null, Actor, ct);
                if (result.Succeeded)
                {
                    var target = $"/admin/measures/{Uri.EscapeDataString(m.Id!.Trim())}/edit";
                    return Redirect(result.Outcome == UpsertOutcome.Unchanged ? target + "?unchanged=true" : $"{target}?saved={result.Version}");
                }
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return await EditorAsync(m, state, result.Errors, sample, null, null, ct);
            case "try":
                var errors = new FormErrors();
                var (tried, sampleView) = Try(m, sample, errors);
                return await EditorAsync(m, state, errors, sample, tried, null, ct, sampleView);
            default:
                return await EditorAsync(m, state, MeasureEditor.Apply(m, command!), sample, null, null, ct);
        }
    }

    private (TryResult? Tried, ProfileFormView Sample) Try(MeasureForm m, ProfileForm sample, FormErrors errors)
    {
        var check = profiles.FromForm(sample, requireIdentity: false);
        var asOf = ProfileValidator.ParseAsOf(sample.AsOf, Today, out var asOfError);
        var sampleErrors = new Dictionary<string, string>(check.Errors);
        if (asOfError is not null)
        {
            sampleErrors["as_of"] = asOfError;
        }
        var view = new ProfileFormView(sample, sampleErrors);
        if (sampleErrors.Count > 0 || asOf is not { } date)
        {
            return (null, view);
        }
        var facts = ProfileFacts.From(check.Profile, date);
        var results = new List<TriedCriterion>();
        for (var i = 0; i < m.Criteria.Count; i++)
        {
            var c = m.Criteria[i];
            var rule = MeasureEditor.RuleOf(c, i, errors);
            if (rule is null)
            {
                results.Add(new TriedCriterion(i, c.Id ?? "", c.LabelZh ?? "", c.LabelEn ?? "", null, [], T("规则有误,见上方提示", "The rule has a problem: see above")));
                continue;
            }
            try
            {
                var r = CompiledRule.Compile(rule).ApplyThreeValued(facts);
                results.Add(new TriedCriterion(i, c.Id ?? "", c.LabelZh ?? "", c.LabelEn ?? "", r.Result, r.MissingFacts, null));
            }
            catch (RuleLimitException e)
            {
                results.Add(new TriedCriterion(i, c.Id ?? "", c.LabelZh ?? "", c.LabelEn ?? "", null, [], Infrastructure.Web.RuleLimits.Describe(e)));
            }
            catch (JsonLogicException e)
            {
                results.Add(new TriedCriterion(i, c.Id ?? "", c.LabelZh ?? "", c.LabelEn ?? "", null, [], e.Message));
            }
        }
        return (new TryResult(date, results), view);
    }

    private async Task<IActionResult> EditorAsync(MeasureForm form, MeasureState? state, FormErrors errors, ProfileForm sample,
        TryResult? tried, string? flash, CancellationToken ct, ProfileFormView? sampleView = null, bool incomplete = false)
    {
        var plans = await catalog.GetPlansAsync(ct);
        var clauses = plans.Any(p => p.Id == form.Plan) ? await catalog.GetClausesAsync(form.Plan!, ct) : [];
        return View("Edit", new EditView(form, state is null, state, errors, plans, clauses,
            sampleView ?? new ProfileFormView(sample, new Dictionary<string, string>()), Today.ToString("yyyy-MM-dd"), tried, flash, incomplete));
    }

    // ---- impact preview, publish, retire -------------------------------------------------------

    [HttpGet("{id}/preview")]
    public async Task<IActionResult> Preview(string id, long? published, bool retired, bool stale, bool nothing, CancellationToken ct)
    {
        var flash = published is { } v ? T($"已发布第 {v} 版:匹配与搜索已使用新版本。", $"Version {v} is published: matching and search use it now.")
            : retired ? T("已停止该措施:不再参与匹配,政策列表中标为“已停止”。", "The measure is retired: it no longer takes part in matching and is marked retired in the catalog.")
            : stale ? T("未发布:在您预览之后又保存了新的草稿,请查看下面的最新影响后再发布。", "Not published: a newer draft was saved after you previewed. Review its impact below, then publish.")
            : nothing ? T("没有需要发布的内容。", "There is nothing to publish.")
            : null;
        return await PreviewAsync(id, flash, [], ct);
    }

    private async Task<IActionResult> PreviewAsync(string id, string? flash, IReadOnlyList<CatalogProblem> problems, CancellationToken ct)
    {
        if (await catalog.GetMeasureStateAsync(id, ct) is not { } state)
        {
            return NotFound();
        }
        var draft = (await catalog.GetMeasureAsync(id, (int)state.CurrentVersion, ct))!;
        var published = state.PublishedVersion is { } p ? await catalog.GetMeasureAsync(id, (int)p, ct) : null;
        var report = await impact.RunAsync(draft, published, Today, ct);
        var changes = published is not null && published.Version != draft.Version ? MeasureDiff.Compare(published.ToDocument(), draft.ToDocument()) : null;
        return View("Preview", new PreviewView(state, report, changes, flash, problems));
    }

    [HttpPost("{id}/publish")]
    public async Task<IActionResult> Publish(string id, [FromForm] long version, CancellationToken ct)
    {
        var (outcome, problems) = await authoring.PublishAsync(id, version, Actor, ct);
        var preview = $"/admin/measures/{Uri.EscapeDataString(id)}/preview";
        switch (outcome)
        {
            case PublishOutcome.NotFound:
                return NotFound();
            case PublishOutcome.Invalid:
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return await PreviewAsync(id, null, problems, ct);
            case PublishOutcome.Stale:
                return Redirect(preview + "?stale=true");
            case PublishOutcome.NothingToPublish:
                return Redirect(preview + "?nothing=true");
            default:
                return Redirect($"{preview}?published={version}");
        }
    }

    [HttpPost("{id}/retire")]
    public async Task<IActionResult> Retire(string id, CancellationToken ct) =>
        await authoring.RetireAsync(id, Actor, ct) switch
        {
            RetireOutcome.NotFound => NotFound(),
            RetireOutcome.NotPublished => Redirect($"/admin/measures/{Uri.EscapeDataString(id)}/preview?nothing=true"),
            _ => Redirect($"/admin/measures/{Uri.EscapeDataString(id)}/preview?retired=true"),
        };

    /// <summary>
    /// The companies eligible for a version today, as CSV (免申即享: support granted without an
    /// application, to the companies the data says qualify). Exports of company data are audited.
    /// </summary>
    [HttpGet("{id}/eligible.csv")]
    public async Task<IActionResult> Export(string id, long? version, CancellationToken ct)
    {
        if (await catalog.GetMeasureStateAsync(id, ct) is not { } state
            || await catalog.GetMeasureAsync(id, (int)(version ?? state.CurrentVersion), ct) is not { } row)
        {
            return NotFound();
        }
        var today = Today;
        var eligible = await impact.EligibleAsync(row, today, ct);
        // 免申即享 style: the list a department can act on, in a file Excel opens with Chinese intact.
        // The last column says whose ownership nobody has proved yet (issue 14 item 8): whoever typed a code first
        // may not be the company, so a department acting on the list checks those before granting anything.
        IReadOnlyList<string> header = ["统一社会信用代码", "企业名称", "所在区", "措施编号", "措施名称", "版本", "评估日期", "认证状态"];
        var file = ExcelCsv.Write(eligible
            .Select(c => (IReadOnlyList<string>)[c.Uscc, c.Name, c.District, row.MeasureId, row.Title, row.Version.ToString(CultureInfo.InvariantCulture), today.ToString("yyyy-MM-dd"), c.Verified ? "已认证" : "未认证"])
            .Prepend(header));
        await audit.WriteAsync(Actor.UserId, AuditAction.MeasureEligibleExported, AuthoringService.Entity, id,
            new JsonObject { ["version"] = row.Version, ["companies"] = eligible.Count, ["as_of"] = today.ToString("yyyy-MM-dd") }, ct);
        return File(file, "text/csv; charset=utf-8", $"{id}-v{row.Version}-eligible-{today:yyyy-MM-dd}.csv");
    }

    // ---- versions ----------------------------------------------------------------------------------

    /// <summary>Every version with its author and date; the diff of any two (default: published → newest).</summary>
    [HttpGet("{id}/versions")]
    public async Task<IActionResult> Versions(string id, long? from, long? to, CancellationToken ct)
    {
        if (await catalog.GetMeasureStateAsync(id, ct) is not { } state)
        {
            return NotFound();
        }
        var versions = await catalog.GetVersionsAsync(id, ct);
        var toVersion = to ?? state.CurrentVersion;
        var fromVersion = from ?? (state.PublishedVersion is { } p && p != toVersion ? p : toVersion - 1);
        var after = await catalog.GetMeasureAsync(id, (int)toVersion, ct);
        var before = fromVersion >= 1 ? await catalog.GetMeasureAsync(id, (int)fromVersion, ct) : null;
        var diff = before is not null && after is not null ? MeasureDiff.Compare(before.ToDocument(), after.ToDocument()) : null;
        return View("Versions", new VersionsView(state, versions, before, after, diff));
    }
}
