using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Data.Configurations;

internal sealed class CallConfiguration : IEntityTypeConfiguration<Call>
{
    public void Configure(EntityTypeBuilder<Call> builder)
    {
        builder.Property(c => c.ExternalId).HasMaxLength(200);
        builder.Property(c => c.CallerE164).HasMaxLength(16);
        builder.Property(c => c.CallerRaw).HasMaxLength(64);
        builder.Property(c => c.CallerName).HasMaxLength(120);
        builder.Property(c => c.DialedNumber).HasMaxLength(64);
        builder.Property(c => c.HuntGroup).HasMaxLength(120);
        builder.Property(c => c.AnsweredByAgent).HasMaxLength(120);
        builder.Property(c => c.RecordingUrl).HasMaxLength(2048);

        builder.HasIndex(c => new { c.IntegrationId, c.ExternalId }).IsUnique();
        // The board, metrics and lists read a store's department over a time window.
        builder.HasIndex(c => new { c.StoreId, c.Department, c.StartedAt });
        // Repeat and first-time callers, call-backs resolved by the caller calling again.
        builder.HasIndex(c => new { c.StoreId, c.CallerE164, c.StartedAt });
        builder.HasIndex(c => new { c.LeadSourceId, c.StartedAt });
        builder.HasIndex(c => new { c.AnsweredBySalespersonId, c.StartedAt });
        // Calls still in progress: a small slice of a large table, for the board and the stale sweep.
        // Department is in it so that the board's "in progress of this store's department" matches
        // it on two columns, as the (StoreId, Department, StartedAt) index does: with only StoreId,
        // SQLite's planner prefers that full index and start-up scanned every call of every store.
        builder.HasIndex(c => new { c.StoreId, c.Department, c.LastEventAt })
            .HasFilter("\"EndedAt\" IS NULL")
            .HasDatabaseName("IX_Calls_InProgress");
        // The retention job's work list: calls not yet anonymized, oldest first. Once the job has
        // caught up, everything older than the retention period has left this index.
        builder.HasIndex(c => c.StartedAt)
            .HasFilter("\"AnonymizedAt\" IS NULL")
            .HasDatabaseName("IX_Calls_NotAnonymized");

        builder.HasOne<Integration>().WithMany().HasForeignKey(c => c.IntegrationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Store>().WithMany().HasForeignKey(c => c.StoreId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LeadSource>().WithMany().HasForeignKey(c => c.LeadSourceId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<TrackingNumber>().WithMany().HasForeignKey(c => c.TrackingNumberId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Salesperson>().WithMany().HasForeignKey(c => c.AnsweredBySalespersonId).OnDelete(DeleteBehavior.SetNull);

        builder.HasMany(c => c.Rings).WithOne().HasForeignKey(r => r.CallId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Holds).WithOne().HasForeignKey(h => h.CallId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CallRingConfiguration : IEntityTypeConfiguration<CallRing>
{
    public void Configure(EntityTypeBuilder<CallRing> builder)
    {
        builder.HasKey(r => new { r.CallId, r.Ordinal });
        builder.Property(r => r.Agent).HasMaxLength(120);
        // Per-salesperson metrics: rung, missed while rung.
        builder.HasIndex(r => new { r.SalespersonId, r.StartedAt });
        builder.HasOne<Salesperson>().WithMany().HasForeignKey(r => r.SalespersonId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class CallHoldConfiguration : IEntityTypeConfiguration<CallHold>
{
    public void Configure(EntityTypeBuilder<CallHold> builder)
    {
        builder.HasKey(h => new { h.CallId, h.Ordinal });
        builder.Property(h => h.Agent).HasMaxLength(120);
    }
}
