using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Pages;

/// <summary>
/// A server whose own clock is UTC, at 23:30 UTC on 2026-12-04: in Beijing it is already 07:30 on
/// 2026-12-05. Every page and the API must say the 5th (the portal's one business date), never the
/// server's local 4th.
/// </summary>
public sealed class LateEveningUtcPortal : Portal
{
    public static readonly DateTimeOffset Now = new(2026, 12, 4, 23, 30, 0, TimeSpan.Zero);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(new FixedUtcClock(Now)));
    }

    /// <summary>A fixed instant on a machine set to UTC, whatever the test machine's own zone.</summary>
    private sealed class FixedUtcClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}

public class BusinessDateTests(LateEveningUtcPortal portal) : IClassFixture<LateEveningUtcPortal>
{
    private const string BeijingToday = "2026-12-05";
    private const string ServerLocalDate = "2026-12-04";

    [Fact]
    public async Task The_matches_page_judges_as_of_Beijing_today_not_the_server_s_date()
    {
        var page = await portal.PageAsync("/check?District=%E6%9C%9D%E9%98%B3%E5%8C%BA&Employees=30");
        var summary = page.QuerySelector("p.summary strong")!.TextContent;
        Assert.Equal(BeijingToday, summary);
    }

    [Fact]
    public async Task The_quick_check_and_the_measure_page_use_the_same_date()
    {
        var home = await portal.PageAsync("/");
        Assert.Equal(BeijingToday, home.QuerySelector("#f-as_of")!.GetAttribute("placeholder"));
        var measure = await portal.PageAsync("/measures/tz-hightech-cultivation-pool?District=%E9%80%9A%E5%B7%9E%E5%8C%BA");
        var outcome = measure.QuerySelector("section.criteria p.outcome")!.TextContent;
        Assert.Contains(BeijingToday, outcome);
        Assert.DoesNotContain(ServerLocalDate, outcome);
    }

    [Fact]
    public async Task The_API_answers_as_of_Beijing_today()
    {
        using var client = portal.CreateClient();
        var response = await client.PostAsJsonAsync("/api/match", new { profile = new { district = "朝阳区" } });
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(BeijingToday, (string?)body["as_of"]);
    }
}
