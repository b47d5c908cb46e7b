using System.Net;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Hardening;

/// <summary>The per-account login throttle holds under parallel guesses (issue 14, item 3).</summary>
public class LoginThrottleTests(Portal portal) : IClassFixture<Portal>
{
    private static KeyValuePair<string, string> F(string k, string v) => new(k, v);

    [Fact]
    public async Task Twenty_parallel_guesses_after_four_failures_get_exactly_one_more_password_checked()
    {
        var (_, email) = await portal.CreateUserAsync(Roles.Company);
        using (var s = portal.Anonymous())
        {
            for (var i = 0; i < AccountService.MaxFailures - 1; i++)
            {
                var wrong = await s.PostFormAsync("/account/login", "/account/login", [F("Email", email), F("Password", "wrong " + i)]);
                Assert.Contains("邮箱或密码不正确", await wrong.Content.ReadAsStringAsync());
            }
        }
        // Each guesser has its own client with its own antiforgery token, read before the race starts.
        var guessers = new List<(Session Session, string Token)>();
        for (var i = 0; i < 20; i++)
        {
            var s = portal.Anonymous();
            var page = await s.PageAsync("/account/login");
            guessers.Add((s, page.QuerySelector("form[action='/account/login'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!));
        }
        using var start = new SemaphoreSlim(0);
        var tasks = guessers.Select(async (g, i) =>
        {
            await start.WaitAsync();
            var response = await g.Session.Client.PostAsync("/account/login", new FormUrlEncodedContent(
                [F("Email", email), F("Password", "parallel guess " + i), F("__RequestVerificationToken", g.Token)]));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }).ToList();
        start.Release(tasks.Count);
        var results = await Task.WhenAll(tasks);
        foreach (var g in guessers) g.Session.Dispose();

        // The property that matters: exactly one more password was checked, and nobody got in.
        Assert.Single(results, r => r.Body.Contains("邮箱或密码不正确"));
        Assert.DoesNotContain(results, r => r.StatusCode == HttpStatusCode.Redirect);
        Assert.Contains(results, r => r.StatusCode == HttpStatusCode.TooManyRequests && r.Body.Contains("登录失败次数过多"));
    }

    [Fact]
    public async Task A_successful_login_clears_the_count()
    {
        var (_, email) = await portal.CreateUserAsync(Roles.Company);
        using var s = portal.Anonymous();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < AccountService.MaxFailures - 1; i++)
            {
                await s.PostFormAsync("/account/login", "/account/login", [F("Email", email), F("Password", "wrong " + i)]);
            }
            var ok = await s.PostFormAsync("/account/login", "/account/login", [F("Email", email), F("Password", Sessions.Password)]);
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
            await s.PostFormAsync("/companies", "/account/logout", []);
        }
    }
}
