using System.Net;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Notices.NoticeFixtures;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>The in-app inbox and the subscriptions page, through the real pages.</summary>
public class InboxTests(Portal portal) : IClassFixture<Portal>
{
    private async Task<(string NoticeId, Session Session)> RecipientSignedInAsync(string label)
    {
        var (user, email) = await portal.PersonAsync(label, NoticeKind.ClaimCall);
        await portal.CompanyAsync(Tongzhou, user);
        var id = await portal.ScheduleAsync($"站内信测试 {label}", DateTimeOffset.UtcNow.AddSeconds(-1));
        await portal.Service<NoticeFanOut>().FanOutAsync(id);
        return (id, await portal.SignInAsync(user, email));
    }

    [Fact]
    public async Task The_inbox_shows_the_notice_unread_and_acknowledging_it_clears_the_count()
    {
        var (id, s) = await RecipientSignedInAsync("reader");
        using var _ = s;

        var inbox = await s.PageAsync("/inbox");
        Assert.Equal("1", inbox.QuerySelector("main .unread-count")!.GetAttribute("data-unread"));
        var item = Assert.Single(inbox.QuerySelectorAll("article.inbox-item"));
        Assert.Contains("unread", item.ClassList);
        Assert.Contains("站内信测试 reader", item.TextContent);
        Assert.Equal($"/notices/{id}", item.QuerySelector("h2 a")!.GetAttribute("href"));

        var itemId = item.GetAttribute("data-id")!;
        var response = await s.PostFormAsync("/inbox", $"/inbox/{itemId}/acknowledge", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        inbox = await s.PageAsync("/inbox");
        Assert.Equal("0", inbox.QuerySelector("main .unread-count")!.GetAttribute("data-unread"));
        Assert.Contains("read", inbox.QuerySelector("article.inbox-item")!.ClassList);
        Assert.Null(inbox.QuerySelector($"form[action='/inbox/{itemId}/acknowledge']"));
    }

    [Fact]
    public async Task The_notice_page_offers_its_recipient_the_acknowledge_button_and_returns_there()
    {
        var (id, s) = await RecipientSignedInAsync("notice-page");
        using var _ = s;

        var page = await s.PageAsync($"/notices/{id}");
        var form = page.QuerySelector("form.acknowledge")!;
        var response = await s.PostFormAsync($"/notices/{id}", form.GetAttribute("action")!, [F("returnUrl", $"/notices/{id}")]);

        Assert.Equal($"/notices/{id}", response.Headers.Location!.OriginalString);
        Assert.Null((await s.PageAsync($"/notices/{id}")).QuerySelector("form.acknowledge"));
        // Anyone else sees the public notice without the button.
        Assert.Null((await portal.Anonymous().PageAsync($"/notices/{id}")).QuerySelector("form.acknowledge"));
    }

    [Fact]
    public async Task A_user_can_neither_see_nor_acknowledge_another_users_inbox_items()
    {
        var (id, owner) = await RecipientSignedInAsync("owner");
        using var _ = owner;
        var itemId = (await owner.PageAsync("/inbox")).QuerySelector("article.inbox-item")!.GetAttribute("data-id")!;
        using var other = await portal.SignInAsync(Roles.Company);
        using var admin = await portal.SignInAsync(Roles.Admin);

        foreach (var s in new[] { other, admin })
        {
            var inbox = await s.PageAsync("/inbox");
            Assert.DoesNotContain("站内信测试 owner", inbox.QuerySelector("main")!.TextContent);
            var response = await s.PostFormAsync("/inbox", $"/inbox/{itemId}/acknowledge", [], anyToken: true);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Equal("1", (await owner.PageAsync("/inbox")).QuerySelector("main .unread-count")!.GetAttribute("data-unread"));
        // Signed out: to the login page.
        var anonymous = await portal.Anonymous().Client.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/login", anonymous.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task New_users_are_subscribed_to_nothing_and_the_page_says_it_sends_email_to_their_address()
    {
        using var s = await portal.SignInAsync(Roles.Company);
        var page = await s.PageAsync("/subscriptions");

        Assert.Equal(NoticeKind.Subscribable.Count, page.QuerySelectorAll("input[name=kinds]").Length);
        Assert.Empty(page.QuerySelectorAll("input[name=kinds][checked]"));
        Assert.Contains(s.Email, page.QuerySelector("main")!.TextContent);
        Assert.Contains("邮件", page.QuerySelector(".subscription[data-kind='claim_call']")!.TextContent);

        var response = await s.PostFormAsync("/subscriptions", "/subscriptions", [F("kinds", NoticeKind.ClaimCall), F("kinds", NoticeKind.Digest), F("kinds", "bogus")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        page = await s.PageAsync("/subscriptions");
        Assert.Equal(new[] { NoticeKind.ClaimCall.Value, NoticeKind.Digest.Value },
            page.QuerySelectorAll("input[name=kinds][checked]").Select(i => i.GetAttribute("value")!).Order().ToArray());

        await s.PostFormAsync("/subscriptions", "/subscriptions", [F("kinds", NoticeKind.Digest)]);
        Assert.Equal(new[] { NoticeKind.Digest.Value }, (await portal.Service<NoticeInbox>().SubscriptionsAsync(s.UserId)).ToArray());
    }
}
