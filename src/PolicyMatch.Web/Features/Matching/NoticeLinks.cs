using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Components;
using PolicyMatch.Web.Features.Catalog;

namespace PolicyMatch.Web.Features.Matching;

/// <summary>
/// Which notices concern which measures, held in memory for a short while: the matches page lists the
/// notices of the measures a company is eligible for, and is the portal's busiest page (tests/load), so
/// it must not read every notice from the database on each request. A notice an administrator
/// publishes appears within <see cref="MaxAge"/>.
/// </summary>
public sealed class NoticeLinks(CatalogRepository catalog, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private sealed record Loaded(IReadOnlyList<NoticeDocument> Notices, DateTimeOffset At);

    private volatile Loaded? _loaded;

    public async Task<IReadOnlyList<NoticeDocument>> AllAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_loaded is { } l && now - l.At < MaxAge)
        {
            return l.Notices;
        }
        var notices = await catalog.GetNoticeDocumentsAsync(ct);
        _loaded = new Loaded(notices, now);
        return notices;
    }

    /// <summary>
    /// The notices a result page shows, for the profile's regions only (as notices are sent): those of the
    /// measures the company is eligible for now, and the open calls of its near misses' helper measures.
    /// Both the anonymous result and a company's page use it.
    /// </summary>
    public async Task<MatchesView> AddToAsync(MatchesView view, JsonObject profile, CancellationToken ct) => view with
    {
        Notices = await ForAsync(view.Report.Current(MatchGroup.Eligible), 5, ct, profile),
        HelperNotices = await OpenByMeasureAsync(view.Report.Items.SelectMany(i => i.Helpers).Select(h => h.MeasureId).ToList(), view.Report.AsOf, profile, ct),
    };

    /// <summary>
    /// For each of the measures, the notices about it for the profile's regions that a company can still
    /// act on as of <paramref name="asOf"/> (no window, or one that has not closed), soonest deadline first:
    /// a near miss's helper measure is offered with the call that opens its round.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<NoticeLink>>> OpenByMeasureAsync(
        IReadOnlyCollection<string> measureIds, DateOnly asOf, JsonObject profile, CancellationToken ct)
    {
        if (measureIds.Count == 0) return new Dictionary<string, IReadOnlyList<NoticeLink>>();
        var open = (await AllAsync(ct))
            .Where(n => n.Window?.Closes is not { } closes || closes >= asOf)
            .Where(n => RecipientResolver.InRegions(profile, n.Regions ?? []))
            .OrderBy(n => n.Window?.Closes ?? DateOnly.MaxValue).ThenByDescending(n => n.PublishedOn)
            .ToList();
        return measureIds.Distinct().ToDictionary(
            id => id,
            id => (IReadOnlyList<NoticeLink>)open.Where(n => n.Measures.Contains(id)).Select(n => new NoticeLink(n.Id, n.Kind, n.Title, n.Window?.Closes)).ToList());
    }

    /// <summary>
    /// Notices about any of the measures, newest first, as cards naming the measures they concern; with a
    /// profile, only the notices for its regions (a Changping notice linked to a Tongzhou measure is not
    /// shown to a Tongzhou company, as it is not sent to one).
    /// </summary>
    public async Task<IReadOnlyList<NoticeCardModel>> ForAsync(IEnumerable<MatchItem> items, int max, CancellationToken ct, JsonObject? profile = null)
    {
        var titles = items.ToDictionary(i => i.Measure.MeasureId, i => i.Measure.Title);
        if (titles.Count == 0) return [];
        return (await AllAsync(ct))
            .Where(n => n.Measures.Any(titles.ContainsKey))
            .Where(n => profile is null || RecipientResolver.InRegions(profile, n.Regions ?? []))
            .OrderByDescending(n => n.Window?.Closes ?? n.PublishedOn).ThenByDescending(n => n.PublishedOn)
            .Take(max)
            .Select(n => new NoticeCardModel(n.Id, n.Kind, n.Title, n.PublishedOn, n.Window?.Opens, n.Window?.Closes)
            {
                Concerns = n.Measures.Where(titles.ContainsKey).Select(m => titles[m]).ToList(),
            })
            .ToList();
    }
}
