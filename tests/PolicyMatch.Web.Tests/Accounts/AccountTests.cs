using System.Net;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Accounts;

public class AccountTests(Portal portal) : IClassFixture<Portal>
{
    private static KeyValuePair<string, string> F(string k, string v) => new(k, v);

    [Fact]
    public async Task A_new_company_user_registers_and_is_signed_in()
    {
        using var s = portal.Anonymous();
        var email = $"new-{Guid.NewGuid():N}@example.com";
        var response = await s.PostFormAsync("/account/register", "/account/register",
            [F("Kind", "company"), F("Email", email), F("DisplayName", "王小明"), F("Password", "a long enough password"), F("ConfirmPassword", "a long enough password"), F("AcceptPrivacy", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/companies", response.Headers.Location!.OriginalString);
        var page = await s.PageAsync("/companies");
        Assert.Contains("王小明", page.QuerySelector(".account")!.TextContent);
        var user = await portal.Service<UserRepository>().FindByEmailAsync(email);
        Assert.Equal(Roles.Company, user!.Role);
        Assert.DoesNotContain("a long enough password", user.PasswordHash);
    }

    [Fact]
    public async Task Registration_errors_keep_what_was_typed_except_the_password()
    {
        using var s = portal.Anonymous();
        var (_, taken) = await portal.CreateUserAsync(Roles.Company);
        var response = await s.PostFormAsync("/account/register", "/account/register",
            [F("Kind", "company"), F("Email", "not-an-email"), F("DisplayName", "李四"), F("Password", "short"), F("ConfirmPassword", "other")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(await response.Content.ReadAsStringAsync());
        Assert.Equal("李四", page.QuerySelector("input[name=DisplayName]")!.GetAttribute("value"));
        var errors = page.QuerySelector(".error-summary")!.TextContent;
        Assert.Contains("邮箱格式不正确", errors);
        Assert.Contains("密码至少10个字符", errors);
        Assert.Contains("两次输入的密码不一致", errors);
        Assert.Null(page.QuerySelector("input[name=Password]")!.GetAttribute("value"));

        var again = await s.PostFormAsync("/account/register", "/account/register",
            [F("Kind", "company"), F("Email", taken), F("DisplayName", "李四"), F("Password", "a long enough password"), F("ConfirmPassword", "a long enough password"), F("AcceptPrivacy", "true")]);
        Assert.Contains("该邮箱已注册", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_advisor_registers_with_an_incubator()
    {
        using var s = portal.Anonymous();
        var name = $"海淀创业园-{Guid.NewGuid():N}"[..20];
        var response = await s.PostFormAsync("/account/register", "/account/register",
            [F("Kind", "advisor"), F("Email", $"adv-{Guid.NewGuid():N}@example.com"), F("DisplayName", "顾问"), F("IncubatorName", name),
             F("Password", "a long enough password"), F("ConfirmPassword", "a long enough password"), F("AcceptPrivacy", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotNull(await portal.Service<PolicyMatch.Web.Features.Incubators.IncubatorRepository>().FindByNameAsync(name));
    }

    [Fact]
    public async Task Nobody_can_register_as_an_administrator()
    {
        using var s = portal.Anonymous();
        var email = $"sneaky-{Guid.NewGuid():N}@example.com";
        await s.PostFormAsync("/account/register", "/account/register",
            [F("Kind", "admin"), F("Email", email), F("DisplayName", "x"), F("Password", "a long enough password"), F("ConfirmPassword", "a long enough password"), F("AcceptPrivacy", "true")]);
        Assert.Null(await portal.Service<UserRepository>().FindByEmailAsync(email));
    }

    [Fact]
    public async Task Login_with_a_wrong_password_fails_and_five_failures_lock_the_email()
    {
        var (_, email) = await portal.CreateUserAsync(Roles.Company);
        using var s = portal.Anonymous();
        for (var i = 0; i < AccountService.MaxFailures; i++)
        {
            var wrong = await s.PostFormAsync("/account/login", "/account/login", [F("Email", email), F("Password", "wrong password " + i)]);
            Assert.Contains("邮箱或密码不正确", await wrong.Content.ReadAsStringAsync());
        }
        var locked = await s.PostFormAsync("/account/login", "/account/login", [F("Email", email), F("Password", Sessions.Password)]);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Contains("登录失败次数过多", await locked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_login_redirects_only_to_local_return_urls()
    {
        var (id, email) = await portal.CreateUserAsync(Roles.Company);
        using var s = portal.Anonymous();
        var response = await s.PostFormAsync("/account/login", "/account/login", [F("Email", email), F("Password", Sessions.Password), F("ReturnUrl", "https://evil.example/")]);
        Assert.Equal("/companies", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one()
    {
        using var s = await portal.SignInAsync(Roles.Company);
        var wrong = await s.PostFormAsync("/account/password", "/account/password", [F("Current", "not it at all"), F("New", "a brand new password"), F("Confirm", "a brand new password")]);
        Assert.Contains("当前密码不正确", await wrong.Content.ReadAsStringAsync());
        var ok = await s.PostFormAsync("/account/password", "/account/password", [F("Current", Sessions.Password), F("New", "a brand new password"), F("Confirm", "a brand new password")]);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var (result, _) = await portal.Service<AccountService>().CheckPasswordAsync(s.Email, "a brand new password");
        Assert.Equal(SignInResult.Success, result);
    }

    [Fact]
    public async Task Logging_out_ends_the_session()
    {
        using var s = await portal.SignInAsync(Roles.Company);
        await s.PageAsync("/companies");
        var page = await s.PageAsync("/");
        var token = page.QuerySelector("form[action='/account/logout'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        await s.Client.PostAsync("/account/logout", new FormUrlEncodedContent([F("__RequestVerificationToken", token)]));
        var after = await s.Client.GetAsync("/companies");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_form_post_without_an_antiforgery_token_is_refused()
    {
        using var s = portal.Anonymous();
        var response = await s.Client.PostAsync("/account/login", new FormUrlEncodedContent([F("Email", "a@b.c"), F("Password", "x")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_create_admin_command_creates_an_administrator_and_refuses_a_second_with_the_same_email()
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        Environment.SetEnvironmentVariable("POLICYMATCH_ADMIN_PASSWORD", "an admin password");
        try
        {
            Assert.Equal(0, await AdminCommand.RunAsync(portal.Services, [email, "管理员"]));
            Assert.Equal(1, await AdminCommand.RunAsync(portal.Services, [email]));
            Assert.Equal(2, await AdminCommand.RunAsync(portal.Services, ["not-an-email"]));
        }
        finally
        {
            Environment.SetEnvironmentVariable("POLICYMATCH_ADMIN_PASSWORD", null);
        }
        Assert.Equal(Roles.Admin, (await portal.Service<UserRepository>().FindByEmailAsync(email))!.Role);
    }
}
