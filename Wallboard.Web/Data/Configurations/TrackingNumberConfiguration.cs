using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Data.Configurations;

internal sealed class TrackingNumberConfiguration : IEntityTypeConfiguration<TrackingNumber>
{
    public void Configure(EntityTypeBuilder<TrackingNumber> builder)
    {
        builder.Property(t => t.E164).HasMaxLength(16);
        // A number rings exactly one store: attribution of every call depends on it.
        builder.HasIndex(t => t.E164).IsUnique();
        builder.Property(t => t.Label).HasMaxLength(80);
        builder.HasOne<Store>().WithMany().HasForeignKey(t => t.StoreId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<LeadSource>().WithMany().HasForeignKey(t => t.LeadSourceId).OnDelete(DeleteBehavior.Restrict);
    }
}
