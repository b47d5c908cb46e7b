using System.Net;
using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Infrastructure.TestData;

namespace PolicyMatch.Web.Tests.Accounts;

/// <summary>Consent at registration, the privacy notice, downloading one's data and deleting the account.</summary>
public class PersonalDataTests(Portal portal) : IClassFixture<Portal>
{
    private static KeyValuePair<string, string> F(string k, string v) => new(k, v);

    [Fact]
    public async Task Registration_needs_consent_to_the_privacy_notice_and_records_which_version()
    {
        using var s = portal.Anonymous();
        var email = $"consent-{Guid.NewGuid():N}@example.com";
        KeyValuePair<string, string>[] fields = [F("Kind", "company"), F("Email", email), F("DisplayName", "同意者"), F("Password", "a long enough password"), F("ConfirmPassword", "a long enough password")];

        var refused = await s.PostFormAsync("/account/register", "/account/register", fields);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("请阅读并同意隐私说明", (await Html.ParseAsync(await refused.Content.ReadAsStringAsync())).QuerySelector(".error-summary")!.TextContent);
        Assert.Null(await portal.Service<UserRepository>().FindByEmailAsync(email));

        var accepted = await s.PostFormAsync("/account/register", "/account/register", [.. fields, F("AcceptPrivacy", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var user = (await portal.Service<UserRepository>().FindByEmailAsync(email))!;
        Assert.Equal(PrivacyNotice.Version, user.PrivacyVersion);
        Assert.NotNull(user.PrivacyAcceptedAt);

        var notice = await portal.PageAsync("/privacy");
        foreach (var heading in new[] { "我们保存什么", "谁能看到", "保存多久" })
        {
            Assert.Contains(notice.QuerySelectorAll("h2"), h => h.TextContent == heading);
        }
        Assert.Contains("How long", (await portal.PageAsync("/privacy?lang=en")).Source.Text);
    }

    [Fact]
    public async Task A_user_downloads_their_data_as_JSON_and_never_someone_elses()
    {
        using var s = await portal.SignInAsync(Roles.Company, "数据主人");
        var uscc = NewUscc();
        var profile = JsonNode.Parse($$"""{ "name": "北京我的数据科技有限公司", "uscc": "{{uscc}}", "district": "昌平区", "employees": 5 }""")!.AsObject();
        await portal.Service<CompanyRepository>().CreateAsync(profile, s.UserId);
        using var other = await portal.SignInAsync(Roles.Company, "别人");

        var response = await s.Client.GetAsync("/account/data.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        var data = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(s.Email, (string?)data["account"]!["email"]);
        Assert.Null(data["account"]!["password_hash"]);
        var company = Assert.Single(data["companies"]!.AsArray());
        Assert.Equal(uscc, (string?)company!["uscc"]);
        Assert.Equal(5, (int)company["profile_json"]!["employees"]!);
        var theirs = JsonNode.Parse(await (await other.Client.GetAsync("/account/data.json")).Content.ReadAsStringAsync())!;
        Assert.Empty(theirs["companies"]!.AsArray());
    }

    [Fact]
    public async Task Deleting_an_account_hands_over_or_removes_the_companies_it_alone_owns_after_confirmation()
    {
        using var s = await portal.SignInAsync(Roles.Company, "要离开的人");
        var companies = portal.Service<CompanyRepository>();
        var keepUscc = NewUscc();
        var dropUscc = NewUscc();
        var keep = (await companies.CreateAsync(JsonNode.Parse($$"""{ "name": "北京交接科技有限公司", "uscc": "{{keepUscc}}", "district": "昌平区" }""")!.AsObject(), s.UserId))!.Value;
        var drop = (await companies.CreateAsync(JsonNode.Parse($$"""{ "name": "北京删除科技有限公司", "uscc": "{{dropUscc}}", "district": "昌平区" }""")!.AsObject(), s.UserId))!.Value;
        var (heir, _) = await portal.CreateUserAsync(Roles.Company, "接手的同事");
        Assert.True(await companies.RequestToJoinAsync(keep, heir));
        var request = (await companies.PendingRequestsAsync(keep)).Single();
        Assert.True(await companies.DecideAsync(keep, request.Id, approve: true, s.UserId));

        var page = await s.PageAsync("/account/data");
        Assert.NotNull(page.QuerySelector($"select[name='company-{keep}'] option[value='member:{heir}']"));
        Assert.Null(page.QuerySelector($"select[name='company-{drop}'] option[value^='member:']"));

        // No decision for a company, no confirmation, a wrong password: refused, nothing deleted.
        var refused = await s.PostFormAsync("/account/data", "/account/delete", [F("password", "wrong password"), F($"company-{keep}", $"member:{heir}")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var errors = (await Html.ParseAsync(await refused.Content.ReadAsStringAsync())).QuerySelector(".error-summary")!.TextContent;
        Assert.Contains("请勾选确认", errors);
        Assert.Contains("密码不正确", errors);
        Assert.Contains("北京删除科技有限公司", errors);
        // A member id that is not a member of that company (tampered): refused too.
        var tampered = await s.PostFormAsync("/account/data", "/account/delete",
            [F("password", Sessions.Password), F("confirm", "yes"), F($"company-{keep}", "member:999999"), F($"company-{drop}", "remove")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tampered.StatusCode);
        Assert.NotNull(await portal.Service<UserRepository>().FindAsync(s.UserId));

        var deleted = await s.PostFormAsync("/account/data", "/account/delete",
            [F("password", Sessions.Password), F("confirm", "yes"), F($"company-{keep}", $"member:{heir}"), F($"company-{drop}", "remove")]);

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Null(await portal.Service<UserRepository>().FindAsync(s.UserId));
        Assert.Equal("owner", await companies.RoleOfAsync(keep, heir));
        Assert.Null(await companies.FindAsync(drop));
        Assert.NotNull(await companies.FindAsync(keep));
        // The history stays with the company but no longer names the account.
        Assert.All(await companies.HistoryAsync(keep), h => Assert.Null(h.ChangedByName));
        // The session is over.
        var after = await s.Client.GetAsync("/account/data");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }
}
