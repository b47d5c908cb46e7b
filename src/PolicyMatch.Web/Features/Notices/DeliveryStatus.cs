using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>
/// Where one delivery of a message is (column notice_deliveries.status): an inbox delivery is sent when
/// written; an email waits (pending), is claimed by a dispatch run (sending), and ends sent, failed
/// (out of attempts) or skipped (the user unsubscribed before it went).
/// </summary>
public sealed class DeliveryStatus : StoredState<DeliveryStatus>, IStoredState<DeliveryStatus>
{
    public static readonly DeliveryStatus Pending = new("pending", "待发送", "Pending");
    public static readonly DeliveryStatus Sending = new("sending", "发送中", "Sending");
    public static readonly DeliveryStatus Sent = new("sent", "已发送", "Sent");
    public static readonly DeliveryStatus Failed = new("failed", "失败", "Failed");
    public static readonly DeliveryStatus Skipped = new("skipped", "已跳过", "Skipped");

    private DeliveryStatus(string value, string chinese, string english) : base(value, chinese, english)
    {
    }

    public static IReadOnlyList<DeliveryStatus> All { get; } = [Pending, Sending, Sent, Failed, Skipped];
}
