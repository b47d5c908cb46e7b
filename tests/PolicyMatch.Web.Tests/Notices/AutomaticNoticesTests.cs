using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Notices.NoticeFixtures;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>
/// Deadline reminders, expiry reminders and the digest, each run on explicit dates (the services take
/// "today" as an argument; the jobs pass Beijing's date). A portal per test: exact recipient counts.
/// </summary>
public sealed class AutomaticNoticesTests : IDisposable
{
    private readonly Portal _portal = new();

    private static readonly DateOnly Today = new(2026, 6, 1);

    [Fact]
    public async Task A_deadline_reminder_goes_to_eligible_subscribers_who_have_not_acknowledged_the_notice_once()
    {
        // a: got the notice and acknowledged it → no reminder. b: got it, did not acknowledge → reminder.
        // c: subscribed to reminders only (never got the notice) → reminder. d: no reminder subscription.
        // e: subscribed, but their company (海淀区) is not eligible.
        var (a, _) = await _portal.PersonAsync("a", NoticeKind.ClaimCall, NoticeKind.DeadlineReminder);
        var (b, _) = await _portal.PersonAsync("b", NoticeKind.ClaimCall, NoticeKind.DeadlineReminder);
        var (c, _) = await _portal.PersonAsync("c", NoticeKind.DeadlineReminder);
        var (d, _) = await _portal.PersonAsync("d", NoticeKind.ClaimCall);
        var (e, _) = await _portal.PersonAsync("e", NoticeKind.ClaimCall, NoticeKind.DeadlineReminder);
        var company = await _portal.CompanyAsync(Tongzhou, a);
        foreach (var member in new[] { b, c, d })
        {
            await _portal.JoinAsync(company, member);
        }
        await _portal.CompanyAsync(Haidian, e);
        var closes = Today.AddDays(4);
        var id = await _portal.ScheduleAsync("截止提醒测试通知", new DateTimeOffset(2026, 5, 20, 1, 0, 0, TimeSpan.Zero), opens: new DateOnly(2026, 5, 20), closes: closes);
        await _portal.Service<NoticeFanOut>().FanOutAsync(id);
        var aItem = (await _portal.DeliveriesAsync("notice:" + id)).Single(x => x.UserId == a && x.Channel == Channels.Inbox);
        Assert.True(await _portal.Service<NoticeInbox>().AcknowledgeAsync(a, aItem.Id));
        var reminders = _portal.Service<NoticeReminders>();
        var key = $"deadline:{id}:{closes:yyyy-MM-dd}";

        // 12 days before closing: too early (reminders go 7 days before).
        await reminders.DeadlineRemindersAsync(closes.AddDays(-12));
        Assert.Empty(await _portal.DeliveriesAsync(key));

        var report = await reminders.DeadlineRemindersAsync(Today);
        var deliveries = await _portal.DeliveriesAsync(key);
        Assert.Equal(new[] { b, c }, deliveries.Select(x => x.UserId).Distinct().ToArray());
        Assert.Equal(4, deliveries.Count);
        Assert.True(report.Deliveries >= 4);

        // The next days: nobody is reminded twice; after closing, nothing.
        await reminders.DeadlineRemindersAsync(Today.AddDays(1));
        await reminders.DeadlineRemindersAsync(closes.AddDays(1));
        Assert.Equal(4, (await _portal.DeliveriesAsync(key)).Count);
        var message = await _portal.Service<NoticeOutbox>().FindMessageAsync(key);
        Assert.Equal($"/notices/{id}", message!.Link);
        Assert.Contains(closes.ToString("yyyy-MM-dd"), message.Title);
    }

    [Fact]
    public async Task An_expiry_reminder_goes_once_per_certificate_within_six_months_of_expiry()
    {
        var (owner, _) = await _portal.PersonAsync("expiry-owner", NoticeKind.QualificationExpiry);
        var (unsubscribed, _) = await _portal.PersonAsync("expiry-quiet");
        var certificate = new JsonObject { ["number"] = "GR202311000123", ["issued_on"] = "2023-12-10", ["expires_on"] = "2026-12-09" };
        var company = await _portal.CompanyAsync(Tongzhou, owner, "到期测试科技有限公司", new JsonObject { ["hightech_certificate"] = certificate });
        await _portal.JoinAsync(company, unsubscribed);
        // Already expired: not "expiring".
        var (other, _) = await _portal.PersonAsync("expired-owner", NoticeKind.QualificationExpiry);
        await _portal.CompanyAsync(Tongzhou, other, extra: new JsonObject
        {
            ["hightech_certificate"] = new JsonObject { ["number"] = "GR202011000001", ["issued_on"] = "2020-12-01", ["expires_on"] = "2023-11-30" },
        });
        var reminders = _portal.Service<NoticeReminders>();
        var firstKey = $"expiry:{company}:hightech:GR202311000123";

        await reminders.ExpiryRemindersAsync(new DateOnly(2026, 5, 1));   // 222 days left: not yet
        Assert.Empty(await _portal.DeliveriesAsync(firstKey));

        await reminders.ExpiryRemindersAsync(new DateOnly(2026, 7, 1));   // 161 days left
        await reminders.ExpiryRemindersAsync(new DateOnly(2026, 7, 2));
        await reminders.ExpiryRemindersAsync(new DateOnly(2026, 9, 1));
        var deliveries = await _portal.DeliveriesAsync(firstKey);
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, x => Assert.Equal(owner, x.UserId));
        var message = await _portal.Service<NoticeOutbox>().FindMessageAsync(firstKey);
        Assert.Contains("2026-12-09", message!.Title);
        Assert.Equal(1, await _portal.ScalarAsync<long>("SELECT COUNT(*) FROM notice_messages WHERE kind = 'qualification_expiry'"));

        // Renewed: a new certificate is reminded again when it nears its own expiry.
        var profile = (await _portal.Service<CompanyRepository>().FindAsync(company))!.Profile();
        profile["hightech_certificate"] = new JsonObject { ["number"] = "GR202611000456", ["issued_on"] = "2026-12-10", ["expires_on"] = "2029-12-09" };
        await _portal.Service<CompanyRepository>().UpdateProfileAsync(company, profile, owner);
        await reminders.ExpiryRemindersAsync(new DateOnly(2026, 12, 20));
        Assert.Equal(1, await _portal.ScalarAsync<long>("SELECT COUNT(*) FROM notice_messages WHERE kind = 'qualification_expiry'"));
        await reminders.ExpiryRemindersAsync(new DateOnly(2029, 7, 1));
        Assert.Equal(2, (await _portal.DeliveriesAsync($"expiry:{company}:hightech:GR202611000456")).Count);
    }

    [Fact]
    public async Task The_digest_lists_newly_matching_measures_and_says_nothing_when_nothing_is_new()
    {
        var (reader, _) = await _portal.PersonAsync("digest", NoticeKind.Digest);
        var company = await _portal.CompanyAsync(Tongzhou, reader, "周报测试科技有限公司");
        var (unsubscribed, _) = await _portal.PersonAsync("no-digest");
        var quietCompany = await _portal.CompanyAsync(Tongzhou, unsubscribed);
        var reminders = _portal.Service<NoticeReminders>();
        var outbox = _portal.Service<NoticeOutbox>();

        await reminders.DigestAsync(Today);
        var first = await outbox.FindMessageAsync($"digest:{company}:{Today:yyyy-MM-dd}");
        var firstItems = first!.Items().Select(i => i.Id).ToList();
        Assert.Contains(TongzhouMeasure, firstItems);
        Assert.DoesNotContain(ListingMeasure, firstItems);          // asks listing_status == intends
        Assert.Equal(2, (await _portal.DeliveriesAsync(first.Key)).Count);
        Assert.Null(await outbox.FindMessageAsync($"digest:{quietCompany}:{Today:yyyy-MM-dd}"));

        // A week later nothing changed: no digest.
        await reminders.DigestAsync(Today.AddDays(7));
        Assert.Null(await outbox.FindMessageAsync($"digest:{company}:{Today.AddDays(7):yyyy-MM-dd}"));

        // The company now intends to list: exactly that measure is new.
        var profile = (await _portal.Service<CompanyRepository>().FindAsync(company))!.Profile();
        profile["listing_status"] = "intends";
        await _portal.Service<CompanyRepository>().UpdateProfileAsync(company, profile, reader);
        await reminders.DigestAsync(Today.AddDays(14));
        var second = await outbox.FindMessageAsync($"digest:{company}:{Today.AddDays(14):yyyy-MM-dd}");
        Assert.Equal(new[] { ListingMeasure }, second!.Items().Select(i => i.Id).ToArray());

        // Run twice the same day: one message, one delivery per channel.
        await reminders.DigestAsync(Today.AddDays(14));
        Assert.Equal(2, (await _portal.DeliveriesAsync(second.Key)).Count);
    }

    public void Dispose() => _portal.Dispose();
}
