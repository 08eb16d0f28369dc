using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Data.Configurations;

internal sealed class CallbackConfiguration : IEntityTypeConfiguration<Callback>
{
    /// <summary>The SQL test for "still being worked" (<see cref="CallbackStatuses.Active"/>): Open, Claimed, Scheduled.</summary>
    public const string ActiveFilter = "\"Status\" IN (0, 1, 2)";

    public void Configure(EntityTypeBuilder<Callback> builder)
    {
        builder.Property(c => c.CallerE164).HasMaxLength(16);
        builder.Property(c => c.CallerRaw).HasMaxLength(64);
        builder.Property(c => c.CallerName).HasMaxLength(120);
        builder.Property(c => c.ClaimedBy).HasMaxLength(120);
        builder.Property(c => c.LastAttemptBy).HasMaxLength(120);
        builder.Property(c => c.LeadName).HasMaxLength(Callback.MaxLeadFieldLength);
        builder.Property(c => c.VehicleOfInterest).HasMaxLength(Callback.MaxLeadFieldLength);
        builder.Property(c => c.HeardAbout).HasMaxLength(Callback.MaxLeadFieldLength);
        builder.Property(c => c.ClosedReason).HasMaxLength(Callback.MaxReasonLength);
        builder.Ignore(c => c.IsActive);
        builder.Ignore(c => c.IsEscalated);

        // Every change saves against the version it read: of two simultaneous claims, one finds
        // the row changed and loses (§6).
        builder.Property(c => c.Version).IsConcurrencyToken();

        // One active call-back per (store, caller number), refereed by the database: two missed
        // calls from one number projected at once cannot make two. No-number ones are all apart.
        builder.HasIndex(c => new { c.StoreId, c.CallerE164 })
            .IsUnique()
            .HasFilter(ActiveFilter + " AND \"CallerE164\" IS NOT NULL")
            .HasDatabaseName("IX_Callbacks_OneActivePerNumber");
        // The queue, the sweep and the board read a store's active call-backs by due time.
        builder.HasIndex(c => new { c.StoreId, c.Status, c.DueAt });
        // Metrics over windows of misses.
        builder.HasIndex(c => new { c.StoreId, c.FirstMissedAt });

        builder.HasOne<Store>().WithMany().HasForeignKey(c => c.StoreId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LeadSource>().WithMany().HasForeignKey(c => c.LeadSourceId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<TrackingNumber>().WithMany().HasForeignKey(c => c.TrackingNumberId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Salesperson>().WithMany().HasForeignKey(c => c.ClaimedBySalespersonId).OnDelete(DeleteBehavior.SetNull);

        builder.HasMany(c => c.Calls).WithOne().HasForeignKey(l => l.CallbackId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Attempts).WithOne().HasForeignKey(a => a.CallbackId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Transitions).WithOne().HasForeignKey(t => t.CallbackId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CallbackCallConfiguration : IEntityTypeConfiguration<CallbackCall>
{
    public void Configure(EntityTypeBuilder<CallbackCall> builder)
    {
        builder.HasKey(l => new { l.CallbackId, l.CallId });
        // A missed call joins one call-back, once, however often it is projected again.
        builder.HasIndex(l => l.CallId).IsUnique();
        builder.HasOne<Call>().WithMany().HasForeignKey(l => l.CallId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CallbackAttemptConfiguration : IEntityTypeConfiguration<CallbackAttempt>
{
    public void Configure(EntityTypeBuilder<CallbackAttempt> builder)
    {
        builder.Property(a => a.Note).HasMaxLength(Callback.MaxNoteLength);
        builder.Property(a => a.By).HasMaxLength(120);
        builder.HasIndex(a => new { a.CallbackId, a.At });
        // Per-salesperson metrics: call-backs done, appointments.
        builder.HasIndex(a => new { a.SalespersonId, a.At });
        // A window's attempts, by time (docs/metrics.md): not by the store's call-backs, which grow with history.
        builder.HasIndex(a => a.At);
        builder.HasOne<Salesperson>().WithMany().HasForeignKey(a => a.SalespersonId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class CallbackTransitionConfiguration : IEntityTypeConfiguration<CallbackTransition>
{
    public void Configure(EntityTypeBuilder<CallbackTransition> builder)
    {
        builder.Property(t => t.Actor).HasMaxLength(120);
        builder.Property(t => t.Reason).HasMaxLength(1000);
        builder.HasIndex(t => new { t.CallbackId, t.At });
        // A window's claims, by time (docs/metrics.md): not by the store's call-backs, which grow with history.
        builder.HasIndex(t => new { t.Action, t.At });
        builder.HasOne<Salesperson>().WithMany().HasForeignKey(t => t.ActorSalespersonId).OnDelete(DeleteBehavior.SetNull);
    }
}
