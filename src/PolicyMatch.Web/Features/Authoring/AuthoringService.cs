using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Admin;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Plans;
using PolicyMatch.Web.Features.Rematch;
using PolicyMatch.Web.Features.Search;
using PolicyMatch.Web.Infrastructure.Data;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Authoring;

/// <summary>Who is acting: the audit log's user and the author recorded on a version (the user's email).</summary>
public sealed record Actor(long UserId, string Email);

/// <param name="Incomplete">what the saved draft still lacks before it can be published (saved anyway)</param>
public sealed record SaveResult(FormErrors Errors, UpsertOutcome Outcome, long Version, FormErrors? Incomplete = null)
{
    public bool Succeeded => Errors.Count == 0;
}

public enum PublishOutcome { Published, NothingToPublish, Stale, Invalid, NotFound }

public enum RetireOutcome { Retired, NotPublished, NotFound }

/// <summary>
/// The administrators' use cases on measures: save a draft, publish, retire. Each runs in one
/// transaction with its audit entry; publishing and retiring also rebuild the search index in that
/// transaction and then drop the matching cache, so the next match sees the change, and schedule the
/// rematch job for that measure, so the stored matches (company_matches) follow.
/// </summary>
public sealed class AuthoringService(
    IDbConnectionFactory connections, CatalogRepository catalog, SearchRepository search, CatalogCache cache, AuditLog audit, RematchScheduler rematch)
{
    public const string Entity = "measure";

    /// <summary>A plan's clauses as the validator reads them; null for an unknown plan.</summary>
    public async Task<IReadOnlyList<Clause>?> ClausesOfAsync(string? planId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(planId) || await catalog.GetPlanAsync(planId, ct) is not { } plan)
        {
            return null;
        }
        var rows = await catalog.GetClausesAsync(plan.Id, ct);
        return rows.Select(r => new Clause(r.Ref, (int)r.Ordinal, (int)r.Depth, r.Heading, r.Text)).ToList();
    }

    /// <summary>Checks the form against the catalog's rules without saving (the plan's clauses are read here).</summary>
    public async Task<(MeasureDocument Document, FormErrors Errors)> ValidateAsync(MeasureForm form, CancellationToken ct)
    {
        var clauses = await ClausesOfAsync(form.Plan, ct);
        return MeasureEditor.Validate(form, key => key == form.Plan ? clauses : null);
    }

    /// <summary>
    /// Saves the form as a new draft version; the published version (if any) stays live until published.
    /// For an existing measure, <paramref name="form"/>'s id and plan must already be the stored ones.
    /// </summary>
    public async Task<SaveResult> SaveDraftAsync(MeasureForm form, bool isNew, Actor actor, CancellationToken ct)
    {
        if (isNew && string.IsNullOrWhiteSpace(form.Id) && !string.IsNullOrWhiteSpace(form.Plan))
        {
            // Administrators never type an id: a new measure gets "p{plan}-{n}", the first n not taken.
            form.Id = SuggestedDraft.NewId(form.Plan.Trim(), await catalog.GetAllMeasureIdsAsync(ct));
        }
        var (document, errors) = await ValidateAsync(form, ct);
        // A draft may be incomplete (no title yet, a quote to fix): it is saved, and publishing checks it.
        FormErrors? incomplete = null;
        if (errors.Count > 0 && MeasureEditor.OnlyIncomplete(errors))
        {
            (incomplete, errors) = (errors, new FormErrors());
        }
        if (errors.Count > 0)
        {
            return new SaveResult(errors, UpsertOutcome.Unchanged, 0);
        }
        var before = isNew ? null : await catalog.GetMeasureAsync(document.Id, (int?)form.BaseVersion, ct);

        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var state = await catalog.GetMeasureStateAsync(connection, tx, document.Id);
        if (isNew && state is not null)
        {
            errors.Add(Fields.Measure(nameof(MeasureForm.Id)), "$.id", T($"编号 “{document.Id}” 已被使用", $"The id '{document.Id}' is taken"));
            return new SaveResult(errors, UpsertOutcome.Unchanged, 0);
        }
        if (!isNew && (state is null || state.CurrentVersion != form.BaseVersion))
        {
            errors.Add("", "$", T($"保存未成功:在您编辑期间已有人保存了第 {state?.CurrentVersion} 版。请重新打开编辑页查看后再修改。",
                $"Not saved: version {state?.CurrentVersion} was saved while you were editing. Open the editor again to see it."));
            return new SaveResult(errors, UpsertOutcome.Unchanged, 0);
        }
        var outcome = await catalog.UpsertMeasureAsync(connection, tx, document, document.Plan!, actor.Email, publish: false);
        if (outcome == UpsertOutcome.Unchanged)
        {
            return new SaveResult(errors, outcome, state!.CurrentVersion);
        }
        var saved = (await catalog.GetMeasureStateAsync(connection, tx, document.Id))!;
        var details = new JsonObject { ["version"] = saved.CurrentVersion, ["title"] = document.Title };
        if (before is not null)
        {
            var diff = MeasureDiff.Compare(before.ToDocument(), document);
            details["changed"] = new JsonArray(diff.ChangedNames.Select(n => (JsonNode?)n).ToArray());
        }
        await audit.WriteAsync(connection, tx, actor.UserId, isNew ? AuditAction.MeasureCreated : AuditAction.MeasureDraftSaved, Entity, document.Id, details);
        await tx.CommitAsync(ct);
        return new SaveResult(errors, outcome, saved.CurrentVersion, incomplete);
    }

    /// <summary>
    /// Publishes <paramref name="version"/> if it is still the newest (what the administrator previewed)
    /// and still passes the catalog's checks (the plan's text may have changed since it was saved).
    /// </summary>
    public async Task<(PublishOutcome Outcome, IReadOnlyList<CatalogProblem> Problems)> PublishAsync(string id, long version, Actor actor, CancellationToken ct)
    {
        var state = await catalog.GetMeasureStateAsync(id, ct);
        if (state is null)
        {
            return (PublishOutcome.NotFound, []);
        }
        if (state.CurrentVersion != version)
        {
            return (PublishOutcome.Stale, []);
        }
        if (!state.CanPublish)
        {
            return (PublishOutcome.NothingToPublish, []);
        }
        var row = (await catalog.GetMeasureAsync(id, (int)version, ct))!;
        var clauses = await ClausesOfAsync(row.PlanId, ct);
        var problems = CatalogValidator.ValidateMeasures([(row.ToDocument(), row.PlanId, "$")], key => key == row.PlanId ? clauses : null);
        if (problems.Count > 0)
        {
            return (PublishOutcome.Invalid, problems);
        }

        await using (var connection = await connections.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            if (!await catalog.PublishVersionAsync(connection, tx, id, version))
            {
                return (PublishOutcome.Stale, []);
            }
            await search.RebuildAsync(connection, tx);
            await CatalogRepository.MarkChangedAsync(connection, tx);
            await audit.WriteAsync(connection, tx, actor.UserId, AuditAction.MeasurePublished, Entity, id, new JsonObject
            {
                ["version"] = version,
                ["title"] = row.Title,
                ["previous_version"] = state.PublishedVersion,
                ["previous_status"] = state.Status.Value,
            });
            await tx.CommitAsync(ct);
        }
        cache.Invalidate();
        await rematch.MeasureChangedAsync(id, ct);
        return (PublishOutcome.Published, []);
    }

    /// <summary>Takes a published measure out of matching; it stays readable in the catalog, marked retired.</summary>
    public async Task<RetireOutcome> RetireAsync(string id, Actor actor, CancellationToken ct)
    {
        await using (var connection = await connections.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var state = await catalog.GetMeasureStateAsync(connection, tx, id);
            if (state is null)
            {
                return RetireOutcome.NotFound;
            }
            if (state.Status != MeasureStatus.Published)
            {
                return RetireOutcome.NotPublished;
            }
            await catalog.SetStatusAsync(connection, tx, id, MeasureStatus.Retired);
            await search.RebuildAsync(connection, tx);
            await CatalogRepository.MarkChangedAsync(connection, tx);
            await audit.WriteAsync(connection, tx, actor.UserId, AuditAction.MeasureRetired, Entity, id, new JsonObject
            {
                ["version"] = state.PublishedVersion,
                ["title"] = state.Title,
            });
            await tx.CommitAsync(ct);
        }
        cache.Invalidate();
        await rematch.MeasureChangedAsync(id, ct);
        return RetireOutcome.Retired;
    }
}
