using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Tests.Incubators;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Infrastructure.TestData;

namespace PolicyMatch.Web.Tests.Hardening;

/// <summary>
/// Issue 14 item 6: bad input in the forms must be the client's error — a 400/413/422 that says what was wrong
/// in the user's language (the form again, or the error page) — never a 500. Each form the probe hit is tried.
/// </summary>
public class BadFormInputTests(Portal portal) : IClassFixture<Portal>
{
    private static KeyValuePair<string, string> F(string k, string v) => new(k, v);

    private static async Task AssertClientErrorAsync(HttpResponseMessage response, string expectedText)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is 400 or 413 or 422, $"{(int)response.StatusCode}: {html}");
        Assert.Contains(expectedText, (await Html.ParseAsync(html)).Body!.TextContent);
    }

    private const string NulMessage = "提交的内容包含空字符(%00)";

    [Fact]
    public async Task A_nul_in_the_registration_form_is_refused_with_the_form_again()
    {
        using var s = portal.Anonymous();
        var email = $"nul-{Guid.NewGuid():N}@example.com";
        var response = await s.PostFormAsync("/account/register", "/account/register",
            [F("Kind", Roles.Company), F("Email", email), F("DisplayName", "张\0三"), F("Password", Sessions.Password), F("ConfirmPassword", Sessions.Password), F("AcceptPrivacy", "true")]);
        await AssertClientErrorAsync(response, NulMessage);
        Assert.Null(await portal.Service<UserRepository>().FindByEmailAsync(email));
    }

    [Fact]
    public async Task A_nul_in_the_login_form_is_refused_in_English_too()
    {
        using var s = portal.Anonymous();
        await s.PageAsync("/?lang=en");
        var response = await s.PostFormAsync("/account/login", "/account/login", [F("Email", "a\0@example.com"), F("Password", "x\0y")]);
        await AssertClientErrorAsync(response, "contains a NUL character (%00)");
    }

    [Fact]
    public async Task A_nul_in_the_company_form_the_profile_form_and_join_is_refused()
    {
        using var s = await portal.SignInAsync(Roles.Company);
        var created = await s.PostFormAsync("/companies/new", "/companies/new",
            [F("Name", "北京空字符\0科技有限公司"), F("Uscc", NewUscc()), F("District", "昌平区")]);
        await AssertClientErrorAsync(created, NulMessage);

        var uscc = NewUscc();
        var ok = await s.PostFormAsync("/companies/new", "/companies/new", [F("Name", "北京正常科技有限公司"), F("Uscc", uscc), F("District", "昌平区")]);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var company = ok.Headers.Location!.OriginalString;
        var profile = await s.PostFormAsync(company + "/profile", company + "/profile",
            [F("Name", "北京正常科技有限公司"), F("Uscc", uscc), F("District", "昌平区"), F("Employees", "1\0")]);
        await AssertClientErrorAsync(profile, NulMessage);

        var join = await s.PostFormAsync("/companies", "/companies/join", [F("uscc", uscc + "\0")]);
        await AssertClientErrorAsync(join, NulMessage);
    }

    [Fact]
    public async Task A_nul_in_the_subscriptions_form_is_refused()
    {
        using var s = await portal.SignInAsync(Roles.Company);
        var response = await s.PostFormAsync("/subscriptions", "/subscriptions", [F("kinds", "claim_call\0")]);
        await AssertClientErrorAsync(response, NulMessage);
    }

    [Fact]
    public async Task A_nul_in_an_incubator_tenant_form_is_refused()
    {
        using var advisor = await portal.AdvisorAsync();
        var response = await advisor.Session.PostFormAsync("/incubator/tenants/new", "/incubator/tenants/new",
            [F("Name", "北京\0科技有限公司"), F("Uscc", NewUscc()), F("District", "昌平区")]);
        await AssertClientErrorAsync(response, NulMessage);
    }

    [Theory]
    [InlineData("/measures?q=a%00b")]
    [InlineData("/companies?x=%00")]
    [InlineData("/api/measures?q=%00")]
    public async Task A_nul_in_the_query_answers_400_not_500(string url)
    {
        using var client = portal.CreateClient();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_form_field_over_4_MB_answers_413_saying_the_form_is_too_large()
    {
        using var s = portal.Anonymous();
        var page = await s.PageAsync("/account/register");
        var token = page.QuerySelector("form[action='/account/register'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        // FormUrlEncodedContent refuses values this long; the body is written by hand.
        var body = "Kind=company&Email=big%40example.com&DisplayName=" + new string('a', 5 * 1024 * 1024) + "&__RequestVerificationToken=" + Uri.EscapeDataString(token);
        var response = await s.Client.PostAsync("/account/register", new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("提交的内容过大", (await Html.ParseAsync(await response.Content.ReadAsStringAsync())).Body!.TextContent);
    }

    [Fact]
    public async Task Multipart_without_a_boundary_on_the_import_answers_400_with_a_message()
    {
        using var advisor = await portal.AdvisorAsync();
        var s = advisor.Session;
        var page = await s.PageAsync("/incubator/import");
        var token = page.QuerySelector("form#import-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nname\r\n--x--\r\n"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/incubator/import") { Content = content };
        request.Headers.Add("RequestVerificationToken", token);
        var response = await s.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("缺少 multipart 分隔符", (await Html.ParseAsync(await response.Content.ReadAsStringAsync())).Body!.TextContent);
    }
}
