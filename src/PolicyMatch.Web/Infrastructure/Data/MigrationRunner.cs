using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;

namespace PolicyMatch.Web.Infrastructure.Data;

/// <summary>
/// Applies the forward-only numbered scripts of the configured engine — Migrations/Sqlite or
/// Migrations/PostgreSql (embedded resources, the same numbering in both) — each in its own
/// transaction, and records them in <c>schema_migrations</c>. See Migrations/README.md.
/// </summary>
public sealed partial class MigrationRunner(IDbConnectionFactory connections, ILogger<MigrationRunner> logger)
{
    public sealed record Migration(int Number, string Name, string Sql);

    public static IReadOnlyList<Migration> Discover(DbProvider provider)
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = MigrationName().Match(resource);
            if (!match.Success || match.Groups["provider"].Value != provider.ToString())
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add(new Migration(int.Parse(match.Groups["n"].Value), match.Groups["name"].Value, reader.ReadToEnd()));
        }
        var duplicate = list.GroupBy(m => m.Number).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share the number {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}");
        }
        return list.OrderBy(m => m.Number).ToList();
    }

    public async Task<IReadOnlyList<int>> ApplyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        if (connections.Provider == DbProvider.Sqlite)
        {
            // WAL lets readers run while the one writer writes; it is a property of the file, set once.
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        }
        await connection.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                number      INTEGER PRIMARY KEY,
                name        TEXT NOT NULL,
                applied_at  TEXT NOT NULL
            )
            """);
        var applied = (await connection.QueryAsync<int>("SELECT number FROM schema_migrations")).ToHashSet();
        var done = new List<int>();
        foreach (var migration in Discover(connections.Provider).Where(m => !applied.Contains(m.Number)))
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(migration.Sql, transaction: tx);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (number, name, applied_at) VALUES (@Number, @Name, @AppliedAt)",
                new { migration.Number, migration.Name, AppliedAt = Stamp.Of(DateTimeOffset.UtcNow) },
                tx);
            await tx.CommitAsync(cancellationToken);
            logger.LogInformation("Applied migration {Number} {Name}", migration.Number, migration.Name);
            done.Add(migration.Number);
        }
        return done;
    }

    [GeneratedRegex(@"\.Migrations\.(?<provider>Sqlite|PostgreSql)\.(?<n>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex MigrationName();
}
