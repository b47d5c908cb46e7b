using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PolicyMatch.Web.Infrastructure.Data;

/// <summary>The database engines the portal runs on: one setting (<c>Database:Provider</c>) picks one.</summary>
public enum DbProvider
{
    /// <summary>Embedded, one file on disk: the default, for one machine.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (15 or later), for several web nodes.</summary>
    PostgreSql,
}

/// <summary>Opens connections to the portal's database. One connection per repository method.</summary>
public interface IDbConnectionFactory
{
    DbProvider Provider { get; }

    /// <summary>The few SQL fragments in which the two engines differ.</summary>
    SqlDialect Dialect { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The SQL that differs between SQLite and PostgreSQL, in one place. Everything else is written once
/// in the SQL both engines accept (ON CONFLICT, RETURNING, CAST, COALESCE, ||, EXISTS).
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(DbProvider.Sqlite);
    public static readonly SqlDialect PostgreSql = new(DbProvider.PostgreSql);

    private SqlDialect(DbProvider provider) => Provider = provider;

    public DbProvider Provider { get; }

    /// <summary>The dialect of an open connection, for code handed a connection rather than the factory.</summary>
    public static SqlDialect Of(DbConnection connection) => connection is NpgsqlConnection ? PostgreSql : Sqlite;

    /// <summary>
    /// "<paramref name="expression"/> is one of the list parameter <paramref name="list"/>". Dapper
    /// expands <c>IN @list</c> into one parameter per item for SQLite, but hands Npgsql the list as one
    /// array parameter, which PostgreSQL compares with <c>= ANY(…)</c>.
    /// </summary>
    public string InList(string expression, string list) => Provider == DbProvider.PostgreSql
        ? $"{expression} = ANY({list})"
        : $"{expression} IN {list}";

    /// <summary>The character with this code, e.g. 10 for a line break (SQLite char(), PostgreSQL chr()).</summary>
    public string Char(int code) => Provider == DbProvider.PostgreSql ? $"chr({code})" : $"char({code})";

    /// <summary>
    /// A FROM item giving one row per element of a JSON array (a parameter or a column), as text in a
    /// column named <c>value</c> of <paramref name="alias"/>; cast it where a number is wanted.
    /// </summary>
    public string JsonArrayRows(string json, string alias) => Provider == DbProvider.PostgreSql
        ? $"jsonb_array_elements_text(CAST({json} AS jsonb)) AS {alias}(value)"
        : $"json_each({json}) AS {alias}";

    /// <summary>
    /// "<paramref name="column"/> is one of the ids in the JSON array parameter <paramref name="json"/>" (a list
    /// of numbers serialised to JSON): one parameter however many ids, where Dapper's <c>IN @list</c> makes one
    /// per id on SQLite and an array PostgreSQL's <c>IN</c> does not take.
    /// </summary>
    public string InJsonIds(string column, string json) =>
        $"{column} IN (SELECT CAST(ids.value AS BIGINT) FROM {JsonArrayRows(json, "ids")})";
}

/// <summary>Registers the connection factory that <c>Database:Provider</c> names, the migrations and the start-up lock.</summary>
public static class DatabaseSetup
{
    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        if (ProviderOf(configuration) == DbProvider.PostgreSql)
        {
            services.AddSingleton<IDbConnectionFactory, PostgresConnectionFactory>();
        }
        else
        {
            services.AddSingleton<IDbConnectionFactory, SqliteConnectionFactory>();
        }
        return services
            .AddSingleton<MigrationRunner>()
            .AddSingleton<StartupLock>();
    }

    /// <summary>The configured engine; a value other than Sqlite or PostgreSql stops the start with a message saying so.</summary>
    public static DbProvider ProviderOf(IConfiguration configuration)
    {
        var configured = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return DbProvider.Sqlite;
        }
        return Enum.TryParse<DbProvider>(configured.Trim(), ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException(
                $"Database:Provider is '{configured}'; it must be {string.Join(" or ", Enum.GetNames<DbProvider>())}.");
    }
}

public sealed class SqliteConnectionFactory : IDbConnectionFactory
{
    private readonly string _connectionString;

    public SqliteConnectionFactory(IConfiguration configuration)
    {
        _connectionString = BuildConnectionString(configuration.GetConnectionString("PolicyMatch"));
    }

    public DbProvider Provider => DbProvider.Sqlite;

    public SqlDialect Dialect => SqlDialect.Sqlite;

    /// <summary>Normalises the configured string: creates the folder of a file database and sets a
    /// default command timeout, which Microsoft.Data.Sqlite also uses as its busy-retry budget.</summary>
    public static string BuildConnectionString(string? configured)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? "Data Source=data/policymatch.db" : configured);
        if (builder.DefaultTimeout == 30 && !(configured ?? "").Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.DefaultTimeout = 15;
        }
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        return builder.ToString();
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // Per-connection settings: SQLite forgets them when a connection closes.
        await connection.ExecuteAsync("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
        return connection;
    }
}

/// <summary>
/// PostgreSQL through one pooled <see cref="NpgsqlDataSource"/> per process. The connection string
/// is <c>ConnectionStrings:PolicyMatch</c> in Npgsql's form (Host=…;Database=…;Username=…).
/// </summary>
public sealed class PostgresConnectionFactory : IDbConnectionFactory, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresConnectionFactory(IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString("PolicyMatch");
        if (string.IsNullOrWhiteSpace(configured) || configured.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                "Database:Provider is PostgreSql, so ConnectionStrings:PolicyMatch must be a PostgreSQL connection string " +
                "such as 'Host=127.0.0.1;Port=5432;Database=policymatch;Username=policymatch;Password=…'.");
        }
        _dataSource = NpgsqlDataSource.Create(configured);
    }

    public DbProvider Provider => DbProvider.PostgreSql;

    public SqlDialect Dialect => SqlDialect.PostgreSql;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}

/// <summary>Dapper set-up shared by every repository: snake_case columns, DateOnly as ISO text.</summary>
public static class DapperSetup
{
    private static int _done;

    public static void Configure()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1)
        {
            return;
        }
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
        SqlMapper.AddTypeHandler(new NullableDateOnlyHandler());
        AddStoredStates();
    }

    /// <summary>
    /// Every <see cref="StoredState{TSelf}"/> type of the portal is read and written as its text: found by
    /// reflection so that this set-up names no feature and a new state type needs no line here.
    /// </summary>
    private static void AddStoredStates()
    {
        foreach (var type in typeof(DapperSetup).Assembly.GetTypes())
        {
            if (!type.IsAbstract && type.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(StoredState<>))
            {
                var handler = (SqlMapper.ITypeHandler)Activator.CreateInstance(typeof(StoredStateHandler<>).MakeGenericType(type))!;
                SqlMapper.AddTypeHandler(type, handler);
            }
        }
    }

    private sealed class StoredStateHandler<T> : SqlMapper.TypeHandler<T> where T : StoredState<T>, IStoredState<T>
    {
        public override T Parse(object value) => StoredState<T>.Parse((string)value);

        public override void SetValue(IDbDataParameter parameter, T? value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value is null ? DBNull.Value : value.Value;
        }
    }

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override DateOnly Parse(object value) => DateOnly.ParseExact((string)value, "yyyy-MM-dd");

        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString("yyyy-MM-dd");
        }
    }

    private sealed class NullableDateOnlyHandler : SqlMapper.TypeHandler<DateOnly?>
    {
        public override DateOnly? Parse(object value) =>
            value is string s && s.Length > 0 ? DateOnly.ParseExact(s, "yyyy-MM-dd") : null;

        public override void SetValue(IDbDataParameter parameter, DateOnly? value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value is { } d ? d.ToString("yyyy-MM-dd") : DBNull.Value;
        }
    }
}
