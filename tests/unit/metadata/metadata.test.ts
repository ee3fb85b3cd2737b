import { describe, expect, it } from 'vitest';
import { assignIsrcs, duplicateIsrcs, formatIsrc, parseIsrc } from '../../../src/lib/core/metadata/isrc';
import { eanCheckDigit, parseUpc } from '../../../src/lib/core/metadata/upc';
import { cdTextCrc, checkCdText, decodeCdText, encodeCdText, PACK_BYTES } from '../../../src/lib/core/metadata/cdtext';

describe('ISRC', () => {
  it('accepts dashes and case on input, shows them for display', () => {
    expect(parseIsrc('gb-aye-24-00001')).toBe('GBAYE2400001');
    expect(parseIsrc(' US S1Z 99 12345 ')).toBe('USS1Z9912345');
    expect(formatIsrc('GBAYE2400001')).toBe('GB-AYE-24-00001');
  });
  it('says what is wrong with a bad code', () => {
    expect(() => parseIsrc('GBAYE240001')).toThrow(/11 characters, an ISRC has 12/);
    expect(() => parseIsrc('1BAYE2400001')).toThrow(/two country letters/);
    expect(() => parseIsrc('GBA_E2400001')).toThrow(/registrant code/);
    expect(() => parseIsrc('GBAYE24X0001')).toThrow(/must be digits/);
  });
  it('assigns codes in track order and finds duplicates', () => {
    expect(assignIsrcs('GB-AYE-24-00098', 3)).toEqual(['GBAYE2400098', 'GBAYE2400099', 'GBAYE2400100']);
    expect(() => assignIsrcs('GBAYE2499999', 2)).toThrow(/past designation 99999/);
    expect(duplicateIsrcs(['A', '', 'B', 'A', 'A'])).toEqual([{ isrc: 'A', tracks: [1, 4, 5] }]);
  });
});

describe('UPC/EAN-13', () => {
  it('validates the check digit and turns a UPC-A into an EAN-13', () => {
    expect(eanCheckDigit('400638133393')).toBe(1);
    expect(parseUpc('4006381333931')).toBe('4006381333931');
    expect(parseUpc('036000291452')).toBe('0036000291452');
    expect(() => parseUpc('4006381333932')).toThrow(/should end in 1/);
    expect(() => parseUpc('12345')).toThrow(/5 digits/);
    expect(() => parseUpc('40063813339a1')).toThrow(/only digits/);
  });
});

describe('CD-Text', () => {
  const text = {
    disc: { title: 'Night Drive', performer: 'The Lathe Ensemble', upc: '4006381333931' },
    tracks: [
      { title: 'Intro', performer: 'The Lathe Ensemble', isrc: 'GBAYE2400001' },
      { title: 'A much longer title that spans several packs', performer: 'Guest & Friends', songwriter: 'Zoë', isrc: 'GBAYE2400002' }
    ]
  };

  it('computes the CRC-16/CCITT of a pack, inverted', () => {
    // A known pack: type 0x80, track 0, seq 0, pos 0, "Night Drive\0".
    const p = new Uint8Array(18);
    p.set([0x80, 0, 0, 0, ...new TextEncoder().encode('Night Drive'), 0]);
    const crc = cdTextCrc(p);
    // Recompute bit by bit from the definition.
    let r = 0;
    for (let i = 0; i < 16; i++) for (let b = 7; b >= 0; b--) {
      const bit = ((p[i] >> b) & 1) ^ (r >> 15);
      r = ((r << 1) & 0xffff) ^ (bit ? 0x1021 : 0);
    }
    expect(crc).toBe(~r & 0xffff);
  });

  it('round-trips through 18-byte packs with size information and valid CRCs', () => {
    const bin = encodeCdText(text);
    expect(bin.length % PACK_BYTES).toBe(0);
    const back = decodeCdText(bin);
    expect(back.badCrcPacks).toEqual([]);
    expect(back.disc).toEqual(text.disc);
    expect(back.tracks).toEqual(text.tracks);
    expect(back.language).toBe(0x09);
    const packs = bin.length / PACK_BYTES;
    // Sequence numbers run 0..n-1; the size packs close the block.
    for (let i = 0; i < packs; i++) expect(bin[i * 18 + 2]).toBe(i);
    expect([bin[(packs - 3) * 18], bin[(packs - 1) * 18]]).toEqual([0x8f, 0x8f]);
    // Last-sequence field of block 0 (size info byte 20 is in the second size pack, byte 8).
    expect(bin[(packs - 2) * 18 + 4 + 8]).toBe(packs - 1);
    // "Night Drive\0" fills title pack 0; pack 1 starts track 1's "Intro"; pack 2 starts 6
    // characters into track 2's title, and says so.
    const titlePacks = [...Array(packs).keys()].filter((i) => bin[i * 18] === 0x80);
    expect([bin[titlePacks[1] * 18 + 1], bin[titlePacks[1] * 18 + 3]]).toEqual([1, 0]);
    expect([bin[titlePacks[2] * 18 + 1], bin[titlePacks[2] * 18 + 3]]).toEqual([2, 6]);
  });

  it('flags text CD-Text cannot hold', () => {
    expect(checkCdText({ disc: { title: 'Café' }, tracks: [] })).toEqual([]);
    expect(checkCdText({ disc: { title: '東京' }, tracks: [] })[0].message).toMatch(/outside ISO-8859-1/);
    expect(checkCdText({ disc: {}, tracks: [{ message: 'x'.repeat(161) }] })[0]).toMatchObject({ where: 'Track 1', message: expect.stringMatching(/161 characters; CD-Text allows 160/) });
    const many = { disc: {}, tracks: Array.from({ length: 99 }, () => ({ title: 'x'.repeat(40), performer: 'y'.repeat(40) })) };
    expect(checkCdText(many)[0].message).toMatch(/packs; one block holds 256/);
    expect(() => encodeCdText(many)).toThrow(/256/);
  });
});
