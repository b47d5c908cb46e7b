using Microsoft.Extensions.Configuration;
using Npgsql;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Tests.Infrastructure;

/// <summary>
/// The database a test runs on. The same suites run on both engines: SQLite by default (a file in
/// the test's temporary folder), PostgreSQL when POLICYMATCH_TEST_DATABASE=postgres — then a fresh
/// database on the server POLICYMATCH_TEST_POSTGRES names (.ci/postgres.sh starts a throwaway one),
/// dropped when the test is done.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public static DbProvider Provider { get; } =
        System.Environment.GetEnvironmentVariable("POLICYMATCH_TEST_DATABASE") is "postgres" or "postgresql" ? DbProvider.PostgreSql : DbProvider.Sqlite;

    public static bool IsPostgres => Provider == DbProvider.PostgreSql;

    /// <summary>The server's maintenance connection (database postgres), where test databases are made.</summary>
    public static string PostgresServer =>
        System.Environment.GetEnvironmentVariable("POLICYMATCH_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    private readonly string? _postgresDatabase;

    private TestDatabase(string connectionString, string jobsConnectionString, string? postgresDatabase)
    {
        ConnectionString = connectionString;
        JobsConnectionString = jobsConnectionString;
        _postgresDatabase = postgresDatabase;
    }

    public string ConnectionString { get; }

    public string JobsConnectionString { get; }

    /// <summary>A new, empty database on the engine under test; SQLite files go in <paramref name="directory"/>.</summary>
    public static TestDatabase Create(string directory, string name = "policymatch")
    {
        if (!IsPostgres)
        {
            return new TestDatabase($"Data Source={Path.Combine(directory, name + ".db")}", $"Data Source={Path.Combine(directory, "jobs.db")}", null);
        }
        var database = $"pm_test_{Guid.NewGuid():N}";
        using (var admin = new NpgsqlConnection(PostgresServer))
        {
            admin.Open();
            using var create = admin.CreateCommand();
            // The name is made here from a GUID, never from input; identifiers cannot be parameters.
            create.CommandText = $"CREATE DATABASE \"{database}\" TEMPLATE template0 ENCODING 'UTF8'";
            create.ExecuteNonQuery();
        }
        var connection = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = database }.ConnectionString;
        return new TestDatabase(connection, connection, database);
    }

    /// <summary>The settings that point the portal at this database.</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = Provider.ToString(),
        ["ConnectionStrings:PolicyMatch"] = ConnectionString,
        ["ConnectionStrings:Jobs"] = JobsConnectionString,
    };

    /// <summary>The same settings as environment variables, for a portal started as a process.</summary>
    public IDictionary<string, string> Environment => Settings.ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value ?? "");

    /// <summary>A connection factory on this database, for tests of repositories without the web host.</summary>
    public IDbConnectionFactory Connections()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        return IsPostgres ? new PostgresConnectionFactory(config) : new SqliteConnectionFactory(config);
    }

    public void Dispose()
    {
        if (_postgresDatabase is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        using var admin = new NpgsqlConnection(PostgresServer);
        admin.Open();
        using var drop = admin.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)";
        drop.ExecuteNonQuery();
    }
}
