using System.Net;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Tests.Infrastructure;
using PolicyMatch.Web.Tests.Notices;
using static PolicyMatch.Web.Tests.Infrastructure.TestData;

namespace PolicyMatch.Web.Tests.Companies;

public class CompanyTests(Portal portal) : IClassFixture<Portal>
{
    private static KeyValuePair<string, string> F(string k, string v) => new(k, v);

    private static async Task<(long Id, string Uscc)> CreateCompanyAsync(Session s, string name = "北京测试科技有限公司")
    {
        var uscc = NewUscc();
        var response = await s.PostFormAsync("/companies/new", "/companies/new",
            [F("Name", name), F("Uscc", uscc), F("District", "昌平区"), F("Employees", "45"), F("Hightech", "no")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (long.Parse(response.Headers.Location!.OriginalString.Split('/').Last()), uscc);
    }

    [Fact]
    public async Task A_user_creates_a_company_and_sees_its_matches()
    {
        using var s = await portal.SignInAsync(Roles.Company);
        var (id, _) = await CreateCompanyAsync(s);
        var page = await s.PageAsync($"/companies/{id}");
        Assert.Equal("北京测试科技有限公司", page.QuerySelector("h1")!.TextContent);
        Assert.NotEmpty(page.QuerySelectorAll("article.match"));
        var list = await s.PageAsync("/companies");
        Assert.Contains("北京测试科技有限公司", list.QuerySelector(".company-list")!.TextContent);
    }

    [Fact]
    public async Task A_stored_profile_needs_name_and_code_and_keeps_what_was_typed()
    {
        using var s = await portal.SignInAsync(Roles.Company);
        var response = await s.PostFormAsync("/companies/new", "/companies/new", [F("District", "昌平区"), F("Employees", "-3"), F("Uscc", "91110000600037341X")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await Html.ParseAsync(await response.Content.ReadAsStringAsync());
        Assert.NotNull(page.QuerySelector("#err-name"));
        Assert.NotNull(page.QuerySelector("#err-uscc"));
        Assert.NotNull(page.QuerySelector("#err-employees"));
        Assert.Equal("-3", page.QuerySelector("input[name=Employees]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_second_company_with_the_same_code_is_refused_with_a_hint_to_join()
    {
        using var s = await portal.SignInAsync(Roles.Company);
        var (_, uscc) = await CreateCompanyAsync(s);
        var response = await s.PostFormAsync("/companies/new", "/companies/new", [F("Name", "另一家"), F("Uscc", uscc), F("District", "昌平区")]);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("申请加入", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Editing_the_profile_keeps_a_history_of_who_changed_what()
    {
        using var s = await portal.SignInAsync(Roles.Company, "张三");
        var (id, uscc) = await CreateCompanyAsync(s);
        var response = await s.PostFormAsync($"/companies/{id}/profile", $"/companies/{id}/profile",
            [F("Name", "北京测试科技有限公司"), F("Uscc", uscc), F("District", "海淀区"), F("Employees", "60"), F("Hightech", "no")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var history = await s.PageAsync($"/companies/{id}/history");
        var rows = history.QuerySelectorAll("tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.Contains("张三", rows[0].TextContent);
        Assert.Contains("所在区", rows[0].TextContent);
        Assert.Contains("从业人数", rows[0].TextContent);
        Assert.Equal("海淀区", (await portal.Service<CompanyRepository>().FindAsync(id))!.District);
    }

    [Fact]
    public async Task A_profile_is_stored_with_its_Chinese_as_typed_and_user_text_still_escaped_where_html_could_break()
    {
        using var s = await portal.SignInAsync(Roles.Company);
        var (id, _) = await CreateCompanyAsync(s, "北京<研发>&\"测试\"科技有限公司");
        var stored = await portal.QueryAsync<string>(
            "SELECT profile_json FROM companies WHERE id = @Id UNION ALL SELECT profile_json FROM profile_history WHERE company_id = @Id", new { Id = id });

        Assert.Equal(2, stored.Count);
        foreach (var json in stored)
        {
            // Readable in the database and half the bytes of \uXXXX escapes; one line, as the portal keeps JSON in columns.
            Assert.Contains("\"district\":\"昌平区\"", json);
            Assert.DoesNotContain("\\u", json.Replace("\\u003C", "").Replace("\\u003E", "").Replace("\\u0026", "").Replace("\\u0022", ""));
            Assert.DoesNotContain('\n', json);
            // Characters that mean something in HTML stay escaped, should the text ever be written into a page.
            Assert.Contains("北京\\u003C研发\\u003E\\u0026\\u0022测试\\u0022科技有限公司", json);
            Assert.Equal("北京<研发>&\"测试\"科技有限公司", (string)System.Text.Json.Nodes.JsonNode.Parse(json)!["name"]!);
        }
    }

    [Fact]
    public async Task The_code_of_a_company_cannot_be_changed()
    {
        using var s = await portal.SignInAsync(Roles.Company);
        var (id, _) = await CreateCompanyAsync(s);
        var response = await s.PostFormAsync($"/companies/{id}/profile", $"/companies/{id}/profile",
            [F("Name", "北京测试科技有限公司"), F("Uscc", NewUscc()), F("District", "昌平区")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task A_user_asks_to_join_by_code_and_the_owner_approves()
    {
        using var owner = await portal.SignInAsync(Roles.Company, "所有者");
        var (id, uscc) = await CreateCompanyAsync(owner);
        using var colleague = await portal.SignInAsync(Roles.Company, "同事");
        await colleague.PageAsync($"/companies/{id}", HttpStatusCode.NotFound);

        var asked = await colleague.PostFormAsync("/companies", "/companies/join", [F("uscc", uscc)]);
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var twice = await colleague.PostFormAsync("/companies", "/companies/join", [F("uscc", uscc)]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.StatusCode);

        var page = await owner.PageAsync($"/companies/{id}");
        var approve = page.QuerySelector("form[action$='/approve']")!.GetAttribute("action")!;
        var decided = await owner.PostFormAsync($"/companies/{id}", approve, []);
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        await colleague.PageAsync($"/companies/{id}");
        await colleague.PageAsync($"/companies/{id}/profile");
    }

    [Theory]
    [InlineData("123")]
    [InlineData("91110000600037341X")]
    public async Task Joining_with_a_bad_or_unknown_code_says_why(string uscc)
    {
        using var s = await portal.SignInAsync(Roles.Company);
        var response = await s.PostFormAsync("/companies", "/companies/join", [F("uscc", uscc == "123" ? uscc : NewUscc())]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull((await Html.ParseAsync(await response.Content.ReadAsStringAsync())).QuerySelector(".field-error"));
    }

    [Fact]
    public async Task A_member_cannot_decide_requests_and_a_stranger_cannot_approve_himself()
    {
        using var owner = await portal.SignInAsync(Roles.Company);
        var (id, uscc) = await CreateCompanyAsync(owner);
        using var stranger = await portal.SignInAsync(Roles.Company);
        await stranger.PostFormAsync("/companies", "/companies/join", [F("uscc", uscc)]);
        var request = (await portal.Service<CompanyRepository>().PendingRequestsAsync(id)).Single();
        var self = await stranger.PostFormAsync("/companies", $"/companies/{id}/requests/{request.Id}/approve", [], anyToken: true);
        Assert.Equal(HttpStatusCode.NotFound, self.StatusCode);
        Assert.Null(await portal.Service<CompanyRepository>().RoleOfAsync(id, stranger.UserId));
    }
}
