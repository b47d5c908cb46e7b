using Microsoft.Extensions.Configuration;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Tests.Catalog;

/// <summary>The database settings: a mistyped provider or a connection string for the wrong engine stops the start with a message that says what to write.</summary>
public sealed class DatabaseSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Theory]
    [InlineData(null, DbProvider.Sqlite)]
    [InlineData("", DbProvider.Sqlite)]
    [InlineData("Sqlite", DbProvider.Sqlite)]
    [InlineData("PostgreSql", DbProvider.PostgreSql)]
    [InlineData("postgresql", DbProvider.PostgreSql)]
    public void The_provider_setting_names_the_engine_and_defaults_to_SQLite(string? value, DbProvider expected)
    {
        var config = value is null ? Config() : Config(("Database:Provider", value));
        Assert.Equal(expected, DatabaseSetup.ProviderOf(config));
    }

    [Theory]
    [InlineData("MySql")]
    [InlineData("postgres")]
    [InlineData("7")]
    public void An_unknown_provider_is_refused_with_the_values_that_are_allowed(string value)
    {
        var e = Assert.Throws<InvalidOperationException>(() => DatabaseSetup.ProviderOf(Config(("Database:Provider", value))));
        Assert.Contains($"'{value}'", e.Message);
        Assert.Contains("Sqlite or PostgreSql", e.Message);
    }

    [Theory]
    [InlineData("Data Source=data/policymatch.db")]
    [InlineData("")]
    public void PostgreSQL_refuses_a_missing_or_SQLite_connection_string_and_shows_the_form_it_wants(string connection)
    {
        var config = Config(("Database:Provider", "PostgreSql"), ("ConnectionStrings:PolicyMatch", connection));
        var e = Assert.Throws<InvalidOperationException>(() => new PostgresConnectionFactory(config));
        Assert.Contains("Host=", e.Message);
    }
}
