using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Catalog;

/// <summary>
/// Where a measure is in its life (column measures.status): a draft only administrators see, published
/// (matched and listed), or retired (listed as stopped, no longer matched). The one home of these texts.
/// </summary>
public sealed class MeasureStatus : StoredState<MeasureStatus>, IStoredState<MeasureStatus>
{
    public static readonly MeasureStatus Draft = new("draft", "草稿", "Draft");
    public static readonly MeasureStatus Published = new("published", "已发布", "Published");
    public static readonly MeasureStatus Retired = new("retired", "已停止", "Retired");

    private MeasureStatus(string value, string chinese, string english) : base(value, chinese, english)
    {
    }

    public static IReadOnlyList<MeasureStatus> All { get; } = [Draft, Published, Retired];

    /// <summary>The statuses the public sees (search filter, API): drafts are never listed.</summary>
    public static IReadOnlyList<MeasureStatus> Public { get; } = [Published, Retired];
}
