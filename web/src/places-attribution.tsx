/*
 * The credit GeoNames' licence (CC BY 4.0) requires wherever its place names are shown: the Places view and an
 * image's Place panel. One wording, docs/places.md's ("Attribution"), so the two cannot drift apart.
 */

export function PlacesAttribution() {
  return (
    <p class="muted attribution">
      Place names from <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0); boundaries from{' '}
      <a href="https://www.naturalearthdata.com/">Natural Earth</a>.
    </p>
  );
}
