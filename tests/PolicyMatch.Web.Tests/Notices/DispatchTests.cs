using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Infrastructure.Time;
using System.Net;
using System.Text.RegularExpressions;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Notices.NoticeFixtures;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>
/// The dispatcher sends to a real SMTP server (maildev on 127.0.0.1, started by .ci/test.sh) and the
/// messages are read back through maildev's API. Fails, never skips, without maildev.
/// </summary>
public partial class DispatchTests(MaildevPortal portal) : IClassFixture<MaildevPortal>
{
    private const string Title = "关于领取2025年度通州区人才服务资金的通知";

    private async Task<(string NoticeId, long UserId, string Email)> FannedOutToOneAsync(string label, string? kind = null)
    {
        kind ??= NoticeKind.ClaimCall;
        var (user, email) = await portal.PersonAsync(label, kind);
        await portal.CompanyAsync(Tongzhou, user);
        var sendAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        var id = await portal.ScheduleAsync(Title, sendAt, kind, opens: BeijingTime.DateOf(sendAt), closes: BeijingTime.DateOf(sendAt).AddDays(20));
        await portal.Service<NoticeFanOut>().FanOutAsync(id);
        return (id, user, email);
    }

    [Fact]
    public async Task An_email_reaches_maildev_with_its_Chinese_subject_both_bodies_a_link_to_the_notice_and_an_unsubscribe_link()
    {
        var (id, _, email) = await FannedOutToOneAsync("mail");

        var report = await portal.Service<DeliveryDispatcher>().DispatchAsync();

        Assert.True(report.Sent >= 1);
        var message = Assert.Single(await Maildev.WaitForAsync(email));
        Assert.Equal($"【资金领取/兑现通知】{Title}", (string?)message["subject"]);
        var html = (string)message["html"]!;
        var text = (string)message["text"]!;
        Assert.Contains(Title, html);
        Assert.Contains("请符合条件的企业在申报期内登录系统提交材料", html);
        Assert.Contains("请符合条件的企业在申报期内登录系统提交材料", text);
        Assert.Contains($"http://portal.test/notices/{id}", html);
        Assert.Contains($"http://portal.test/notices/{id}", text);
        Assert.Contains("http://portal.test/measures/" + TongzhouMeasure, html);
        Assert.Matches(@"http://portal\.test/unsubscribe/[^""\s<]+", html);
        Assert.Matches(@"http://portal\.test/unsubscribe/\S+", text);
        Assert.Equal("<http://portal.test/api/unsubscribe/" + UnsubscribeToken(text) + ">", message.Header("List-Unsubscribe"));
        Assert.Equal("List-Unsubscribe=One-Click", message.Header("List-Unsubscribe-Post"));

        var delivery = Assert.Single(await portal.DeliveriesAsync("notice:" + id), d => d.Channel == Channels.Email);
        Assert.Equal(DeliveryStatus.Sent, delivery.Status);
        Assert.Equal(delivery.Id.ToString(), message.Header("X-PolicyMatch-Delivery"));

        // Sent is sent: another run sends nothing more to this address.
        await portal.Service<DeliveryDispatcher>().DispatchAsync();
        await Task.Delay(300);
        Assert.Single(await Maildev.ToAsync(email));
    }

    [Fact]
    public async Task The_unsubscribe_link_of_the_email_works_without_logging_in_and_a_tampered_one_is_refused()
    {
        var (_, user, email) = await FannedOutToOneAsync("unsubscribe");
        await portal.Service<DeliveryDispatcher>().DispatchAsync();
        var token = UnsubscribeToken((string)Assert.Single(await Maildev.WaitForAsync(email))["text"]!);
        using var anonymous = portal.Anonymous();

        // Tampered: another user's id under the same signature, or a changed signature.
        var parts = token.Split('.');
        var otherUser = string.Join('.', [(long.Parse(parts[0]) + 1).ToString(), .. parts[1..]]);
        var otherKind = string.Join('.', [parts[0], NoticeKind.Digest, .. parts[2..]]);
        // Change the first character to a different one (a signature may already start with "A").
        var badSignature = string.Join('.', [.. parts[..3], (parts[3][0] == 'A' ? "B" : "A") + parts[3][1..]]);
        foreach (var bad in new[] { otherUser, otherKind, badSignature, "not-a-token" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.Client.GetAsync($"/unsubscribe/{bad}")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.Client.PostAsync($"/api/unsubscribe/{bad}",
                new FormUrlEncodedContent([F("List-Unsubscribe", "One-Click")]))).StatusCode);
        }
        Assert.True(await portal.Service<NoticeInbox>().IsSubscribedAsync(user, NoticeKind.ClaimCall));

        // The real link: a page with a button, then the POST (with the page's antiforgery token).
        var page = await anonymous.PageAsync($"/unsubscribe/{token}");
        Assert.Contains("资金领取/兑现通知", page.QuerySelector("main")!.TextContent);
        var response = await anonymous.PostFormAsync($"/unsubscribe/{token}", $"/unsubscribe/{token}", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotNull((await anonymous.PageAsync(response.Headers.Location!.OriginalString)).QuerySelector(".unsubscribed"));
        Assert.False(await portal.Service<NoticeInbox>().IsSubscribedAsync(user, NoticeKind.ClaimCall));
    }

    [Fact]
    public async Task The_RFC_8058_one_click_post_unsubscribes_without_cookies_or_antiforgery_token()
    {
        var (user, _) = await portal.PersonAsync("one-click", NoticeKind.Digest);
        var token = await portal.Service<UnsubscribeTokens>().IssueAsync(user, NoticeKind.Digest);
        using var client = portal.CreateClient();

        var response = await client.PostAsync($"/api/unsubscribe/{token}", new FormUrlEncodedContent([F("List-Unsubscribe", "One-Click")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await portal.Service<NoticeInbox>().IsSubscribedAsync(user, NoticeKind.Digest));
    }

    [Fact]
    public async Task An_email_whose_user_unsubscribed_after_the_fan_out_is_skipped_not_sent()
    {
        var (id, user, email) = await FannedOutToOneAsync("skip");
        await portal.Service<NoticeInbox>().UnsubscribeAsync(user, NoticeKind.ClaimCall);

        await portal.Service<DeliveryDispatcher>().DispatchAsync();

        var delivery = Assert.Single(await portal.DeliveriesAsync("notice:" + id), d => d.Channel == Channels.Email);
        Assert.Equal(DeliveryStatus.Skipped, delivery.Status);
        await Task.Delay(300);
        Assert.Empty(await Maildev.ToAsync(email));
    }

    private static string UnsubscribeToken(string text) => UnsubscribeLink().Match(text).Groups[1].Value;

    [GeneratedRegex(@"/unsubscribe/([A-Za-z0-9._\-]+)")]
    private static partial Regex UnsubscribeLink();
}

/// <summary>A portal whose SMTP server is a closed loopback port: every send fails with "connection refused".</summary>
public sealed class ClosedSmtpPortal : Portal
{
    private static readonly int Port = Maildev.ClosedPort();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = Port.ToString(),
        ["Notices:MaxAttempts"] = "3",
        ["Notices:RetryBaseDelay"] = "00:01:00",
    };
}

/// <summary>A portal per test: each counts exactly its own deliveries' attempts.</summary>
public sealed class FailingSmtpTests : IDisposable
{
    private readonly ClosedSmtpPortal portal = new();

    public void Dispose() => portal.Dispose();

    [Fact]
    public async Task A_failing_server_means_retries_after_1_then_2_minutes_then_failed_with_the_error_and_the_retry_button_queues_it_again()
    {
        var (user, email) = await portal.PersonAsync("failing", NoticeKind.ClaimCall);
        await portal.CompanyAsync(Tongzhou, user);
        var id = await portal.ScheduleAsync("发送失败测试", DateTimeOffset.UtcNow.AddSeconds(-1));
        await portal.Service<NoticeFanOut>().FanOutAsync(id);
        var dispatcher = portal.Service<DeliveryDispatcher>();
        async Task<DeliveryRowOf> EmailRow() => new(Assert.Single(await portal.DeliveriesAsync("notice:" + id), d => d.Channel == Channels.Email));

        // Attempt 1 fails: pending again, due one minute later, with the error.
        var before = DateTimeOffset.UtcNow;
        var first = await dispatcher.DispatchAsync();
        var after = DateTimeOffset.UtcNow;
        Assert.Equal(1, first.Retrying);
        var row = await EmailRow();
        Assert.Equal((DeliveryStatus.Pending, 1L), (row.Value.Status, row.Value.Attempts));
        Assert.InRange(row.NextAttempt, before.AddMinutes(1).AddSeconds(-1), after.AddMinutes(1).AddSeconds(1));
        Assert.Contains("SocketException", row.Value.LastError);

        // Not due yet: another run does not touch it.
        await dispatcher.DispatchAsync();
        Assert.Equal(1L, (await EmailRow()).Value.Attempts);

        // Due (we move its time, not the clock): attempt 2 fails, backoff doubles to two minutes.
        await MakeDueAsync(row.Value.Id);
        before = DateTimeOffset.UtcNow;
        await dispatcher.DispatchAsync();
        after = DateTimeOffset.UtcNow;
        row = await EmailRow();
        Assert.Equal((DeliveryStatus.Pending, 2L), (row.Value.Status, row.Value.Attempts));
        Assert.InRange(row.NextAttempt, before.AddMinutes(2).AddSeconds(-1), after.AddMinutes(2).AddSeconds(1));

        // Attempt 3 of 3 fails: failed, with the error kept.
        await MakeDueAsync(row.Value.Id);
        var last = await dispatcher.DispatchAsync();
        Assert.Equal(1, last.Failed);
        row = await EmailRow();
        Assert.Equal((DeliveryStatus.Failed, 3L), (row.Value.Status, row.Value.Attempts));
        Assert.Contains("SocketException", row.Value.LastError);

        // The dashboard lists it with its error and a retry button; retrying queues it with fresh attempts.
        using var admin = await portal.SignInAsync(Roles.Admin);
        var jobs = await admin.PageAsync("/admin/jobs");
        var line = jobs.QuerySelector($"tr.failed-delivery[data-id='{row.Value.Id}']")!;
        Assert.Contains(email, line.TextContent);
        Assert.Contains("SocketException", line.QuerySelector(".error")!.TextContent);
        var retry = await admin.PostFormAsync("/admin/jobs", $"/admin/jobs/deliveries/{row.Value.Id}/retry", []);
        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        row = await EmailRow();
        Assert.Equal((DeliveryStatus.Pending, 0L), (row.Value.Status, row.Value.Attempts));
        Assert.True(row.NextAttempt <= DateTimeOffset.UtcNow);
        // Only failed deliveries can be retried.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync("/admin/jobs", $"/admin/jobs/deliveries/{row.Value.Id}/retry", [], anyToken: true)).StatusCode);
    }

    [Fact]
    public async Task Retry_all_puts_every_failed_email_back_in_the_queue_with_fresh_attempts()
    {
        var (first, _) = await portal.PersonAsync("retry-all-1", NoticeKind.ClaimCall);
        var (second, _) = await portal.PersonAsync("retry-all-2", NoticeKind.ClaimCall);
        var company = await portal.CompanyAsync(Tongzhou, first);
        await portal.JoinAsync(company, second);
        var id = await portal.ScheduleAsync("全部重试测试", DateTimeOffset.UtcNow.AddSeconds(-1));
        await portal.Service<NoticeFanOut>().FanOutAsync(id);
        // As the dispatcher leaves them after the last attempt against a dead server.
        await portal.ExecuteAsync("""
            UPDATE notice_deliveries SET status = 'failed', attempts = 3, last_error = 'SocketException: Connection refused'
            WHERE channel = 'email' AND message_id = (SELECT id FROM notice_messages WHERE key = @Key)
            """, new { Key = "notice:" + id });
        using var admin = await portal.SignInAsync(Roles.Admin);

        var response = await admin.PostFormAsync("/admin/jobs", "/admin/jobs/deliveries/retry-failed", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.All((await portal.DeliveriesAsync("notice:" + id)).Where(d => d.Channel == Channels.Email),
            d => Assert.Equal((DeliveryStatus.Pending, 0L), (d.Status, d.Attempts)));
    }

    private Task MakeDueAsync(long deliveryId) =>
        portal.ExecuteAsync("UPDATE notice_deliveries SET next_attempt_at = @Past WHERE id = @Id",
            new { Id = deliveryId, Past = Stamp.Of(DateTimeOffset.UtcNow.AddSeconds(-1)) });

    private sealed record DeliveryRowOf(DeliveryRow Value)
    {
        public DateTimeOffset NextAttempt => Stamp.Parse(Value.NextAttemptAt)!.Value;
    }
}
