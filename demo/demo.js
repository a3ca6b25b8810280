// Placeholder agent view: sign in, then list conversations through the real supabase-js client.
// Text only ever goes through textContent, never HTML.
const { supabaseUrl, supabaseKey } = window.PARLEY_CONFIG;
const client = window.supabase.createClient(supabaseUrl, supabaseKey);

const form = document.querySelector('#sign-in');
const list = document.querySelector('#conversations');
const who = document.querySelector('#who');
const error = document.querySelector('#error');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  const data = new FormData(form);
  const { error: signInError } = await client.auth.signInWithPassword({
    email: String(data.get('email')),
    password: String(data.get('password')),
  });
  if (signInError) {
    error.textContent = signInError.message;
    return;
  }
  await render();
});

async function render() {
  const { data: session } = await client.auth.getSession();
  if (!session.session) return;
  who.textContent = `Signed in as ${session.session.user.email}`;
  const { data, error: listError, count } = await client
    .from('conversations')
    .select('id, status, subject, last_message_preview, last_message_at, customer:customers(name, email)', { count: 'exact' })
    .order('last_message_at', { ascending: false })
    .limit(50);
  if (listError) {
    error.textContent = listError.message;
    return;
  }
  list.replaceChildren(...data.map((row) => {
    const item = document.createElement('li');
    const status = document.createElement('span');
    status.className = 'status';
    status.textContent = row.status;
    const title = document.createElement('strong');
    title.textContent = ` ${row.subject ?? 'No subject'} — ${row.customer?.name ?? row.customer?.email ?? 'Visitor'}`;
    const preview = document.createElement('span');
    preview.className = 'preview';
    preview.textContent = row.last_message_preview ?? '';
    item.append(status, title, preview);
    return item;
  }));
  who.textContent += ` · ${count} conversations`;
}

void render();
