using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>
/// Where an administrator's notice is (column notice_schedules.status): scheduled, cancelled or sent;
/// seeded notices, published before schedules existed, list as published (historical).
/// </summary>
public sealed class NoticeStatus : StoredState<NoticeStatus>, IStoredState<NoticeStatus>
{
    public static readonly NoticeStatus Scheduled = new("scheduled", "已安排", "Scheduled");
    public static readonly NoticeStatus Cancelled = new("cancelled", "已取消", "Cancelled");
    public static readonly NoticeStatus Sent = new("sent", "已发送", "Sent");
    public static readonly NoticeStatus Published = new("published", "已发布(历史)", "Published (historical)");

    private NoticeStatus(string value, string chinese, string english) : base(value, chinese, english)
    {
    }

    public static IReadOnlyList<NoticeStatus> All { get; } = [Scheduled, Cancelled, Sent, Published];
}
