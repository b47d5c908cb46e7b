using System.Net;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Accounts;

/// <summary>
/// Issue 14 item 4: sessions end. Each session here has its own cookie jar, so a "copy" of a cookie is
/// the same cookie value put into a second jar, as a thief or a second tab would hold it.
/// </summary>
public class SessionTests(Portal portal) : IClassFixture<Portal>
{
    private static readonly Uri Site = new("http://localhost");
    private static KeyValuePair<string, string> F(string k, string v) => new(k, v);

    private (Session Session, CookieContainer Jar) NewBrowser(long id = 0, string email = "")
    {
        var jar = new CookieContainer();
        return (new Session(portal.CreateDefaultClient(new CookieContainerHandler(jar)), id, email), jar);
    }

    private async Task<(Session Session, CookieContainer Jar)> LogInAsync(long id, string email)
    {
        var browser = NewBrowser(id, email);
        var response = await browser.Session.PostFormAsync("/account/login", "/account/login", [F("Email", email), F("Password", Sessions.Password)]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    /// <summary>A second browser holding a copy of the auth cookie (and nothing else) of <paramref name="jar"/>.</summary>
    private Session CopyOf(CookieContainer jar, long id, string email)
    {
        var copy = NewBrowser(id, email);
        copy.Jar.Add(Site, new Cookie("PolicyMatch.Auth", jar.GetCookies(Site)["PolicyMatch.Auth"]!.Value));
        return copy.Session;
    }

    private static async Task AssertSignedInAsync(Session s)
    {
        var response = await s.Client.GetAsync("/companies");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task AssertSignedOutAsync(Session s)
    {
        var page = await s.Client.GetAsync("/companies");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_copy_of_the_auth_cookie_stops_working_after_logout()
    {
        var (id, email) = await portal.CreateUserAsync(Roles.Company);
        var (s, jar) = await LogInAsync(id, email);
        using var copy = CopyOf(jar, id, email);
        await AssertSignedInAsync(copy);

        var response = await s.PostFormAsync("/", "/account/logout", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        await AssertSignedOutAsync(copy);
        await AssertSignedOutAsync(s);
        s.Dispose();
    }

    [Fact]
    public async Task A_password_change_ends_the_other_sessions_and_keeps_the_one_that_changed_it()
    {
        var (id, email) = await portal.CreateUserAsync(Roles.Company);
        var (changer, _) = await LogInAsync(id, email);
        var (other, _) = await LogInAsync(id, email);
        await AssertSignedInAsync(other);

        var ok = await changer.PostFormAsync("/account/password", "/account/password", [F("Current", Sessions.Password), F("New", "a brand new password"), F("Confirm", "a brand new password")]);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);

        Assert.Contains("密码已修改", (await changer.PageAsync("/account/password")).QuerySelector(".flash")!.TextContent);
        await AssertSignedOutAsync(other);
        await AssertSignedInAsync(changer);
        changer.Dispose();
        other.Dispose();
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_this_one_included()
    {
        var (id, email) = await portal.CreateUserAsync(Roles.Company);
        var (here, jar) = await LogInAsync(id, email);
        var (elsewhere, _) = await LogInAsync(id, email);
        using var copy = CopyOf(jar, id, email);

        var response = await here.PostFormAsync("/account/password", "/account/sign-out-everywhere", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.OriginalString);
        Assert.Contains("已在所有设备上退出", (await here.PageAsync("/account/login")).QuerySelector(".flash")!.TextContent);

        await AssertSignedOutAsync(here);
        await AssertSignedOutAsync(elsewhere);
        await AssertSignedOutAsync(copy);

        // Logging in again works and gives a working session.
        var (again, _) = await LogInAsync(id, email);
        await AssertSignedInAsync(again);
        here.Dispose();
        elsewhere.Dispose();
        again.Dispose();
    }

    [Fact]
    public async Task Sign_out_everywhere_needs_an_antiforgery_token()
    {
        var (id, email) = await portal.CreateUserAsync(Roles.Company);
        var (s, _) = await LogInAsync(id, email);
        var response = await s.Client.PostAsync("/account/sign-out-everywhere", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertSignedInAsync(s);
        s.Dispose();
    }

    [Fact]
    public async Task A_user_from_before_security_stamps_logs_in_and_gets_one()
    {
        var (id, email) = await portal.CreateUserAsync(Roles.Company);
        await using (var db = await portal.Service<PolicyMatch.Web.Infrastructure.Data.IDbConnectionFactory>().OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(db, "UPDATE users SET security_stamp = '' WHERE id = @Id", new { Id = id });
        }
        var (s, _) = await LogInAsync(id, email);
        await AssertSignedInAsync(s);
        Assert.NotEqual("", await portal.Service<UserRepository>().SecurityStampAsync(id));
        s.Dispose();
    }
}
