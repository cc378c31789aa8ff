import { describe, it, expect } from 'vitest';
import { detectLanguage, isScored, SCORED_LANGUAGES } from '../../../server/core/enrich/language';

const ENGLISH =
  'Why is my order still not here? It has been two weeks and nobody answers my emails.';

describe('declared language', () => {
  it.each([
    ['en', 'en'],
    ['en-US', 'en'],
    ['EN-gb', 'en'],
    ['pt-BR', 'pt'],
    ['pt_BR', 'pt'],
    ['zh-Hant-TW', 'zh'],
    ['es-419', 'es'],
    [' fr ', 'fr'],
    ['fil', 'fil'],
    ['in', 'id'],
    ['iw', 'he']
  ])('%j is trusted as %s', (declared, lang) => {
    expect(detectLanguage(ENGLISH, declared)).toEqual({ lang, source: 'declared' });
  });

  it('wins over what the text looks like', () => {
    expect(detectLanguage(ENGLISH, 'de')).toEqual({ lang: 'de', source: 'declared' });
    expect(detectLanguage('ok', 'en')).toEqual({ lang: 'en', source: 'declared' });
  });

  it.each([
    null,
    '',
    '  ',
    'und',
    'UND',
    'und-Latn',
    'mul',
    'zxx',
    'qme',
    'qht',
    'x-klingon',
    '123'
  ])('%j names no language, so the text is detected', (declared) => {
    expect(detectLanguage(ENGLISH, declared)).toEqual({ lang: 'en', source: 'detected' });
    expect(detectLanguage('lol', declared)).toEqual({ lang: 'und', source: 'undetermined' });
  });
});

/* Tweet-like sentences written for this test, 8 per language. */
const SENTENCES: Record<string, string[]> = {
  en: [
    'Just tried the new update and honestly the app feels so much faster now, great job team!',
    "Why is my order still not here? It's been two weeks and nobody answers my emails.",
    "Watching the game tonight with friends, can't believe we are already in the final",
    'Does anyone know if the store downtown is open on Sunday afternoon?',
    'The customer support was really helpful today, they fixed my problem in ten minutes',
    'I think this is the worst coffee I have ever had, never going back there again',
    'Traffic on the highway is terrible this morning, going to be late for work again',
    'Thank you so much for the birthday wishes everyone, it means a lot to me'
  ],
  es: [
    'Acabo de probar la nueva actualización y la aplicación va mucho más rápido, ¡buen trabajo!',
    '¿Por qué mi pedido todavía no ha llegado? Llevo dos semanas esperando y nadie responde.',
    'Esta noche vemos el partido con los amigos, no me puedo creer que estemos en la final',
    '¿Alguien sabe si la tienda del centro abre el domingo por la tarde?',
    'El servicio de atención al cliente fue muy amable, me solucionaron el problema enseguida',
    'Creo que es el peor café que he tomado en mi vida, no pienso volver nunca más',
    'Hay muchísimo tráfico en la autopista esta mañana, otra vez voy a llegar tarde al trabajo',
    'Muchas gracias a todos por las felicitaciones de cumpleaños, significa mucho para mí'
  ],
  fr: [
    "Je viens d'essayer la nouvelle mise à jour et l'appli est beaucoup plus rapide, bravo à l'équipe !",
    "Pourquoi ma commande n'est toujours pas arrivée ? Ça fait deux semaines et personne ne répond.",
    "Ce soir on regarde le match entre amis, je n'arrive pas à croire qu'on est déjà en finale",
    "Quelqu'un sait si le magasin du centre-ville est ouvert dimanche après-midi ?",
    "Le service client a été vraiment efficace aujourd'hui, mon problème est réglé en dix minutes",
    "C'est sans doute le pire café que j'ai jamais bu, je n'y retournerai plus jamais",
    'Il y a des bouchons partout sur le périphérique ce matin, encore en retard au boulot',
    "Merci beaucoup à tous pour vos messages d'anniversaire, ça me touche énormément"
  ],
  de: [
    'Gerade das neue Update ausprobiert und die App ist jetzt viel schneller, tolle Arbeit!',
    'Warum ist meine Bestellung immer noch nicht da? Seit zwei Wochen warte ich und niemand antwortet.',
    'Heute Abend schauen wir das Spiel mit Freunden, kaum zu glauben, dass wir schon im Finale sind',
    'Weiß jemand, ob der Laden in der Innenstadt am Sonntagnachmittag geöffnet hat?',
    'Der Kundenservice war heute wirklich hilfreich, mein Problem wurde in zehn Minuten gelöst',
    'Ich glaube, das ist der schlechteste Kaffee, den ich je getrunken habe, nie wieder dorthin',
    'Auf der Autobahn ist heute Morgen wieder Stau, ich komme schon wieder zu spät zur Arbeit',
    'Vielen Dank an alle für die lieben Geburtstagswünsche, das bedeutet mir sehr viel'
  ],
  pt: [
    'Acabei de testar a nova atualização e o aplicativo está muito mais rápido, parabéns à equipe!',
    'Por que o meu pedido ainda não chegou? Já faz duas semanas e ninguém responde os meus e-mails.',
    'Hoje à noite vamos assistir ao jogo com os amigos, nem acredito que já estamos na final',
    'Alguém sabe se a loja do centro abre no domingo à tarde? Preciso trocar um presente',
    'O atendimento ao cliente foi muito bom hoje, resolveram o meu problema em dez minutos',
    'Acho que foi o pior café que já tomei na vida, não volto lá nunca mais',
    'O trânsito na marginal está horrível hoje de manhã, vou chegar atrasado no trabalho de novo',
    'Muito obrigado a todos pelas mensagens de aniversário, isso significa muito para mim'
  ],
  it: [
    "Ho appena provato il nuovo aggiornamento e l'app è molto più veloce, complimenti a tutto il team!",
    'Perché il mio ordine non è ancora arrivato? Sono passate due settimane e nessuno risponde.',
    'Stasera guardiamo la partita con gli amici, non ci posso credere che siamo già in finale',
    'Qualcuno sa se il negozio in centro è aperto domenica pomeriggio?',
    'Il servizio clienti oggi è stato davvero gentile, mi hanno risolto il problema in dieci minuti',
    'Credo sia il peggior caffè che abbia mai bevuto, non ci torno più',
    "C'è un traffico pazzesco in tangenziale stamattina, arriverò di nuovo in ritardo al lavoro",
    'Grazie mille a tutti per gli auguri di compleanno, significa molto per me'
  ],
  nl: [
    'Net de nieuwe update geprobeerd en de app is nu veel sneller, goed gedaan jongens!',
    'Waarom is mijn bestelling nog steeds niet binnen? Het is al twee weken en niemand reageert.',
    'Vanavond kijken we de wedstrijd met vrienden, ik kan niet geloven dat we al in de finale staan',
    'Weet iemand of de winkel in het centrum zondagmiddag open is?',
    'De klantenservice was vandaag echt behulpzaam, mijn probleem was binnen tien minuten opgelost',
    'Volgens mij is dit de slechtste koffie die ik ooit heb gedronken, daar ga ik nooit meer heen',
    'Het is weer file op de snelweg vanochtend, ik kom alweer te laat op mijn werk',
    'Heel erg bedankt allemaal voor de verjaardagswensen, het betekent veel voor me'
  ],
  ja: [
    '新しいアップデートを試してみたけど、アプリがすごく速くなった！開発チームの皆さん、本当にお疲れ様です。',
    '注文した商品がまだ届かないのはなぜですか？もう二週間も待っているのに、誰も返事をくれません。',
    '今夜は友達と一緒に試合を見る予定です。もう決勝まで来たなんて、まだ信じられない気持ちです。',
    '駅前のお店って日曜日の午後も開いているか知っている人いますか？明日行ってみたいんだけど。',
    '今日のカスタマーサポートは本当に親切で、たった十分で問題を解決してくれました。ありがとう！',
    'こんなにまずいコーヒーは人生で初めて飲んだかもしれない。あの店にはもう二度と行かないと思う。',
    '今朝は高速道路がひどい渋滞で、また会社に遅刻しそうです。毎日これだと本当に疲れますね。',
    '誕生日のお祝いメッセージを送ってくれた皆さん、本当にありがとうございます！とても嬉しいです。'
  ],
  ar: [
    'جربت التحديث الجديد للتطبيق وأصبح أسرع بكثير من قبل، شكرا لفريق العمل على هذا المجهود الرائع',
    'لماذا لم يصل طلبي حتى الآن؟ مر أسبوعان كاملان ولا أحد يرد على رسائلي أو اتصالاتي',
    'الليلة سنشاهد المباراة مع الأصدقاء، لا أصدق أننا وصلنا إلى النهائي هذا العام',
    'هل يعرف أحد إذا كان المتجر في وسط المدينة مفتوحا يوم الأحد بعد الظهر؟',
    'خدمة العملاء كانت ممتازة اليوم، تم حل مشكلتي خلال عشر دقائق فقط',
    'أعتقد أن هذه أسوأ قهوة شربتها في حياتي، لن أعود إلى ذلك المقهى مرة أخرى',
    'الزحام على الطريق السريع رهيب هذا الصباح، سأتأخر عن العمل مرة أخرى',
    'شكرا جزيلا لكم جميعا على التهاني بمناسبة عيد ميلادي، هذا يعني لي الكثير'
  ],
  ru: [
    'Только что попробовал новое обновление, приложение стало работать намного быстрее, отличная работа!',
    'Почему мой заказ до сих пор не пришёл? Прошло уже две недели, и никто не отвечает на письма.',
    'Сегодня вечером смотрим матч с друзьями, не верится, что мы уже в финале',
    'Кто-нибудь знает, работает ли магазин в центре в воскресенье после обеда?',
    'Служба поддержки сегодня очень помогла, мою проблему решили всего за десять минут',
    'Кажется, это худший кофе, который я когда-либо пил, больше туда ни ногой',
    'Утром на шоссе жуткие пробки, опять опоздаю на работу, и так каждый день',
    'Огромное спасибо всем за поздравления с днём рождения, это очень много для меня значит'
  ],
  tr: [
    'Yeni güncellemeyi denedim ve uygulama artık çok daha hızlı çalışıyor, ekibin eline sağlık!',
    'Siparişim neden hâlâ gelmedi? İki haftadır bekliyorum ve kimse e-postalarıma cevap vermiyor.',
    'Bu akşam maçı arkadaşlarla izliyoruz, finale kaldığımıza hâlâ inanamıyorum',
    'Şehir merkezindeki mağaza pazar öğleden sonra açık mı, bilen var mı?',
    'Müşteri hizmetleri bugün gerçekten çok yardımcı oldu, sorunumu on dakikada çözdüler',
    'Sanırım hayatımda içtiğim en kötü kahve buydu, oraya bir daha asla gitmem',
    'Bu sabah otoyolda korkunç bir trafik var, yine işe geç kalacağım galiba',
    'Doğum günü mesajları için herkese çok teşekkür ederim, benim için çok anlamlı'
  ]
};

const INDONESIAN = [
  'Kenapa pesanan saya belum sampai juga? Sudah dua minggu dan tidak ada yang membalas email saya.',
  'Layanan pelanggan hari ini sangat membantu, masalah saya selesai dalam sepuluh menit',
  'Terima kasih banyak semuanya atas ucapan ulang tahunnya, sangat berarti buat saya'
];

describe('detection', () => {
  describe.each(Object.entries(SENTENCES))('%s', (lang, sentences) => {
    it.each(sentences)('%s', (text) => {
      expect(detectLanguage(text, null)).toEqual({ lang, source: 'detected' });
    });
  });

  // The detector has no Indonesian table: it answers with its close relative Malay. Either way
  // the text is confidently not English, so it is left unscored rather than scored as English.
  it.each(INDONESIAN)('Indonesian comes back as Malay: %s', (text) => {
    expect(detectLanguage(text, null)).toEqual({ lang: 'ms', source: 'detected' });
  });

  it.each([
    ['ありがとう', 'ja'],
    ['新しいiPhoneが届いた！', 'ja'],
    ['감사합니다', 'ko'],
    ['ευχαριστώ πολύ', 'el'],
    ['תודה רבה לכולם', 'he'],
    ['ขอบคุณมากครับ', 'th']
  ])('short text in a script only one language uses: %s → %s', (text, lang) => {
    expect(detectLanguage(text, null)).toEqual({ lang, source: 'detected' });
  });

  it('a stray kana in a Latin text does not make it Japanese', () => {
    expect(detectLanguage('¯\\_(ツ)_/¯ no idea what happened to my order', null).lang).toBe('en');
  });
});

describe('too little text is undetermined', () => {
  it.each([
    '',
    '   ',
    'ok',
    'lol',
    'gg',
    'omg',
    'haha',
    'hahahahaha',
    'ok ok ok ok ok',
    'lmaooooo',
    'wwwwww',
    'no way',
    'love it',
    'merci',
    'gracias',
    '😂😂😂',
    '🔥🔥 👏',
    '👍🏽',
    '🇧🇷🇧🇷',
    '❤️❤️❤️',
    '1234 5678',
    '???!!!',
    '草',
    '@brand',
    '#win',
    'https://t.co/abc123',
    '@elonmusk @OpenAI https://x.com/foo/status/1234567890 lol',
    '@user@mastodon.social 🎉🎉',
    '#BlackFriday #CyberMonday $AMZN 🔥'
  ])('%j', (text) => {
    expect(detectLanguage(text, null)).toEqual({ lang: 'und', source: 'undetermined' });
  });
});

// Unstripped, the first and third of these come back 'fr' and 'en' from the detector itself.
describe('URLs, handles, hashtags and emoji do not sway detection', () => {
  it.each([
    [
      '@lemondefr @franceinfo #grevegenerale https://www.lemonde.fr/politique/article/les-manifestations-continuent-dans-toute-la-france thanks for the update, very helpful 🇫🇷',
      'en'
    ],
    [
      '#BlackFriday #DealOfTheDay @AmazonHelp https://amazon.com/deals/today-only 🛒 ¿Por qué mi pedido todavía no ha llegado? Nadie responde',
      'es'
    ],
    [
      '@someone@mastodon.social https://example.com/a/very/long/path?with=query&and=more Vielen Dank an alle für die lieben Geburtstagswünsche!',
      'de'
    ],
    [
      '@NHKWORLD https://t.co/AbCdEf #breaking 今朝は高速道路がひどい渋滞で、また会社に遅刻しそうです',
      'ja'
    ]
  ])('%s → %s', (text, lang) => {
    expect(detectLanguage(text, null)).toEqual({ lang, source: 'detected' });
  });
});

describe('scored languages', () => {
  it('sentiment is scored for English only', () => {
    expect([...SCORED_LANGUAGES]).toEqual(['en']);
    expect(isScored('en')).toBe(true);
    expect(isScored('es')).toBe(false);
    expect(isScored('ms')).toBe(false);
    expect(isScored('und')).toBe(false);
  });

  it('composes with detection', () => {
    expect(isScored(detectLanguage(ENGLISH, null).lang)).toBe(true);
    expect(isScored(detectLanguage(ENGLISH, 'en-GB').lang)).toBe(true);
    expect(isScored(detectLanguage(SENTENCES.fr?.[0] ?? '', null).lang)).toBe(false);
  });
});
