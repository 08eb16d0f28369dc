using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Wallboard.Domain.Phones;

namespace Wallboard.Web.Data.Configurations;

internal sealed class CallEventConfiguration : IEntityTypeConfiguration<StoredCallEvent>
{
    public void Configure(EntityTypeBuilder<StoredCallEvent> builder)
    {
        builder.ToTable("CallEvents");
        builder.Property(e => e.EventId).HasMaxLength(200);
        builder.Property(e => e.CallId).HasMaxLength(200);
        builder.Property(e => e.Payload).HasMaxLength(16_384);

        // A repeat of (integration, event id) is acknowledged and ignored: the database enforces it.
        builder.HasIndex(e => new { e.IntegrationId, e.EventId }).IsUnique();
        // All events of a call, to project it again.
        builder.HasIndex(e => new { e.IntegrationId, e.CallId });
        builder.HasOne<Integration>().WithMany().HasForeignKey(e => e.IntegrationId).OnDelete(DeleteBehavior.Restrict);
    }
}
