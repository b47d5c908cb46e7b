using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Account;

public enum RegistrationOutcome
{
    Created,

    /// <summary>The email belongs to an account already.</summary>
    EmailTaken,

    /// <summary>Another advisor registered an incubator of that name (perhaps a moment ago).</summary>
    IncubatorTaken,
}

/// <summary>
/// Registration as one transaction: the user, their consent to the privacy notice and, for an advisor, the
/// incubator with them as its advisor — all or nothing. Two advisors registering one new incubator name at
/// the same moment both pass the form's earlier "is the name free?" read; the unique index decides, and the
/// loser's account is rolled back with it, so they can register again (issue 14 item 5).
/// </summary>
public sealed class Registration(IDbConnectionFactory connections, TimeProvider clock)
{
    public async Task<(RegistrationOutcome Outcome, long? UserId)> RegisterAsync(
        string email, string displayName, string passwordHash, string role, string? incubatorName, string privacyVersion, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var now = Stamp.Now(clock);
        long? id;
        try
        {
            id = await UserRepository.CreateAsync(db, tx, email, displayName, passwordHash, role, privacyVersion, now);
            if (id is null)
            {
                await tx.RollbackAsync(ct);
                return (RegistrationOutcome.EmailTaken, null);
            }
            if (role == Roles.Advisor)
            {
                await Incubators.IncubatorRepository.CreateAsync(db, tx, incubatorName!.Trim(), id.Value, now);
            }
        }
        catch (Exception e) when (UniqueViolation.Is(e))
        {
            // The email has ON CONFLICT of its own: the one unique index left to lose on is the incubator's name.
            await tx.RollbackAsync(CancellationToken.None);
            return (RegistrationOutcome.IncubatorTaken, null);
        }
        await tx.CommitAsync(ct);
        return (RegistrationOutcome.Created, id);
    }
}
