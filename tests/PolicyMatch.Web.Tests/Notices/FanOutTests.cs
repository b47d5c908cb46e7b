using PolicyMatch.Web.Infrastructure.Time;
using System.Net;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Notices.NoticeFixtures;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>The fan-out: at send time, one delivery per recipient and channel, in one transaction, idempotently.</summary>
public sealed class FanOutTests : IDisposable
{
    // A portal of its own: exact counts must not see other tests' subscribers.
    private readonly Portal _portal = new();

    [Fact]
    public async Task At_send_time_each_recipient_gets_exactly_one_inbox_and_one_email_delivery_and_running_it_again_adds_nothing()
    {
        // Three recipients: two subscribed members of one 通州区 company, one who is also a member of a
        // second 通州区 company (told once). Not recipients: a subscriber in 海淀区, a member who did not subscribe.
        var (a, _) = await _portal.PersonAsync("a", NoticeKind.ClaimCall);
        var (b, _) = await _portal.PersonAsync("b", NoticeKind.ClaimCall);
        var (c, _) = await _portal.PersonAsync("c", NoticeKind.ClaimCall);
        var (haidian, _) = await _portal.PersonAsync("haidian", NoticeKind.ClaimCall);
        var (quiet, _) = await _portal.PersonAsync("quiet");
        var first = await _portal.CompanyAsync(Tongzhou, a);
        await _portal.JoinAsync(first, b);
        await _portal.JoinAsync(first, quiet);
        var second = await _portal.CompanyAsync(Tongzhou, c);
        await _portal.JoinAsync(second, a);
        await _portal.CompanyAsync(Haidian, haidian);

        var sendAt = DateTimeOffset.UtcNow.AddMinutes(10);
        var id = await _portal.ScheduleAsync("关于领取人才服务资金的通知", sendAt,
            opens: BeijingTime.DateOf(sendAt), closes: BeijingTime.DateOf(sendAt).AddDays(20));
        var fanOut = _portal.Service<NoticeFanOut>();

        // Not yet due: nothing happens.
        Assert.Empty(await fanOut.FanOutDueAsync(sendAt.AddMinutes(-1)));
        Assert.Empty(await _portal.DeliveriesAsync("notice:" + id));

        var done = Assert.Single(await fanOut.FanOutDueAsync(sendAt.AddSeconds(1)));
        Assert.Equal(3, done.Recipients);
        Assert.Equal((3, 3), (done.Write.InboxAdded, done.Write.EmailAdded));
        var deliveries = await _portal.DeliveriesAsync("notice:" + id);
        Assert.Equal(6, deliveries.Count);
        Assert.Equal(new[] { a, b, c }.Order().ToArray(), deliveries.Select(d => d.UserId).Distinct().Order().ToArray());
        Assert.All(deliveries.Where(d => d.Channel == Channels.Inbox), d => Assert.Equal(DeliveryStatus.Sent, d.Status));
        Assert.All(deliveries.Where(d => d.Channel == Channels.Email), d => Assert.Equal(DeliveryStatus.Pending, d.Status));

        // Published now: in `notices` with its measures, public, and the schedule says sent to 3.
        Assert.Equal(HttpStatusCode.OK, (await _portal.Anonymous().Client.GetAsync($"/notices/{id}")).StatusCode);
        Assert.Equal(1, await _portal.ScalarAsync<long>("SELECT COUNT(*) FROM notice_measures WHERE notice_id = @Id", new { Id = id }));
        Assert.Equal(3, await _portal.ScalarAsync<long>("SELECT recipients FROM notice_schedules WHERE id = @Id AND status = 'sent'", new { Id = id }));

        // Run again: the due list is empty; forced, the unique (message, user, channel) drops every row.
        Assert.Empty(await fanOut.FanOutDueAsync(sendAt.AddMinutes(5)));
        var again = await fanOut.FanOutAsync(id);
        Assert.Equal((0, 0), (again!.Write.InboxAdded, again.Write.EmailAdded));
        Assert.Equal(6, (await _portal.DeliveriesAsync("notice:" + id)).Count);
        Assert.Equal(1, await _portal.ScalarAsync<long>("SELECT COUNT(*) FROM notice_messages WHERE key = @Key", new { Key = "notice:" + id }));
        Assert.Equal(1, await _portal.ScalarAsync<long>("SELECT COUNT(*) FROM notices WHERE id = @Id", new { Id = id }));
    }

    [Fact]
    public async Task A_user_who_subscribes_after_the_fan_out_is_added_by_a_second_run_and_nobody_else_twice()
    {
        var (early, _) = await _portal.PersonAsync("early", NoticeKind.ClaimCall);
        var (late, _) = await _portal.PersonAsync("late");
        var company = await _portal.CompanyAsync(Tongzhou, early);
        await _portal.JoinAsync(company, late);
        var sendAt = DateTimeOffset.UtcNow.AddMinutes(1);
        var id = await _portal.ScheduleAsync("补发测试", sendAt);
        var fanOut = _portal.Service<NoticeFanOut>();
        await fanOut.FanOutDueAsync(sendAt.AddSeconds(1));

        await _portal.Service<NoticeInbox>().SubscribeAsync(late, NoticeKind.ClaimCall);
        var second = await fanOut.FanOutAsync(id);

        Assert.Equal((1, 1), (second!.Write.InboxAdded, second.Write.EmailAdded));
        var deliveries = await _portal.DeliveriesAsync("notice:" + id);
        Assert.Equal(4, deliveries.Count);
        Assert.Equal(2, deliveries.Count(d => d.UserId == early));
        Assert.Equal(2, deliveries.Count(d => d.UserId == late));
    }

    [Fact]
    public async Task With_no_SMTP_server_configured_the_email_is_written_as_an_eml_file_to_the_pickup_folder()
    {
        var (user, _) = await _portal.PersonAsync("pickup", NoticeKind.CertificationCall);
        await _portal.CompanyAsync(Tongzhou, user);
        var id = await _portal.ScheduleAsync("关于启动高新技术企业认定的通知", DateTimeOffset.UtcNow.AddSeconds(-1), NoticeKind.CertificationCall);
        await _portal.Service<NoticeFanOut>().FanOutAsync(id);

        var report = await _portal.Service<DeliveryDispatcher>().DispatchAsync();

        Assert.Equal(1, report.Sent);
        var eml = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(_portal.MailFolder, "*.eml")));
        Assert.Contains("Subject: =?utf-8?", eml, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("List-Unsubscribe: <http://localhost:5080/api/unsubscribe/", eml);
        Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click", eml);
        Assert.Contains("text/html", eml);
        Assert.Contains("text/plain", eml);
        Assert.Equal(DeliveryStatus.Sent, (await _portal.DeliveriesAsync("notice:" + id)).Single(d => d.Channel == Channels.Email).Status);
    }

    public void Dispose() => _portal.Dispose();
}
